package dev.raceway.examples.embedded;

import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.EventLabels;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.json.EventRejection;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The plain-text report of {@link EmbeddedAnalysis}. */
final class FindingsReport {
    private final StringBuilder out = new StringBuilder();

    private FindingsReport() {
    }

    static String render(String source, EmbeddedAnalysis.Findings f) {
        FindingsReport r = new FindingsReport();
        r.line("Read %d events in %d traces from %s (%d rejected)", f.eventCount(), f.traces().size(), source,
                f.rejections().size());
        for (EventRejection rejection : f.rejections()) {
            r.line("  rejected: %s", rejection);
        }
        for (EmbeddedAnalysis.TraceFindings t : f.traces()) {
            r.trace(t);
        }
        r.global(f);
        return r.out.toString();
    }

    private void trace(EmbeddedAnalysis.TraceFindings t) {
        line("");
        line("Trace %s  (%d events; services: %s)", t.traceId(), t.events().size(),
                t.events().stream().map(e -> e.metadata().serviceName()).collect(Collectors.toCollection(TreeSet::new)));
        var races = t.races();
        if (races.pairCount() == 0) {
            line("  races: none");
        } else {
            line("  races: %d (%d critical, %d warning)", races.pairCount(), races.criticalCount(),
                    races.warningCount());
            for (RacePair p : races.details()) {
                line("    %s race on %s: %s  vs  %s", p.severity(), p.variable(), access(p.first()), access(p.second()));
            }
        }
        if (t.criticalPath().isPresent()) {
            CriticalPath cp = t.criticalPath().get();
            line("  critical path: %s ms of the trace's %s ms wall clock (%.1f%%), %d events: %s",
                    ms(cp.wallDurationMs()), ms(cp.traceWallDurationMs()), cp.percentageOfWall(), cp.path().size(),
                    cp.path().stream().map(e -> EventLabels.pathKind(e.kind())).collect(Collectors.joining(" -> ")));
        }
        if (t.anomalies().isEmpty()) {
            line("  anomalies: none");
        }
        for (Anomaly a : t.anomalies()) {
            line("  anomaly (%s): %s", a.severity(), a.description());
        }
        for (Deadlock d : t.deadlocks()) {
            line("  %s %s", d.severity(), d.description());
        }
    }

    private void global(EmbeddedAnalysis.Findings f) {
        GlobalRaceReport g = f.global();
        line("");
        line("Between traces: %d racing pairs (%d critical, %d warning) among %d accesses", f.crossTracePairs(),
                f.crossTraceCritical(), f.crossTraceWarning(), g.accessCount());
        for (RacePair p : g.details()) {
            if (p.crossTrace()) {
                line("  %s cross-trace race on %s: trace %s %s  vs  trace %s %s", p.severity(), p.variable(),
                        p.first().traceId().toString().substring(0, 8), access(p.first()),
                        p.second().traceId().toString().substring(0, 8), access(p.second()));
            }
        }
    }

    private static String access(Event e) {
        if (!(e.kind() instanceof EventKind.StateChange s)) {
            return e.kind().toString();
        }
        String value = s.accessType().isWrite()
                ? s.oldValue().map(Object::toString).orElse("?") + " -> " + s.newValue()
                : String.valueOf(s.newValue());
        return "[" + e.metadata().threadId() + "] " + s.accessType().wireName() + " " + value + " @ " + s.location();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
