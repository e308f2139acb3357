package dev.raceway.examples.embedded;

import dev.raceway.core.analysis.Anomalies;
import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.Event;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.DecodeLimits;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.EventRejection;
import dev.raceway.core.json.MalformedBatchException;
import dev.raceway.examples.common.ExampleArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Raceway without a server: reads a {@code POST /events} body from a file, runs the analyses of raceway-core on
 * it, and prints races (per trace and across traces), critical paths, latency anomalies and potential deadlocks.
 * This is the "raceway-core as a library" path: post-mortem analysis of captured events, CI checks, tests.
 *
 * <pre>./raceway-examples/run embedded [--file=events.json]</pre>
 */
public final class EmbeddedAnalysis {
    /** The sample shipped with the example: the conformance fixture plus a lost update, slow calls, a lock inversion. */
    public static final String SAMPLE = "/sample-events.json";

    private EmbeddedAnalysis() {
    }

    /**
     * Everything found in one batch of events.
     *
     * @param global races over all traces together, pairs inside one trace included
     */
    public record Findings(int eventCount, List<EventRejection> rejections, List<TraceFindings> traces,
                           GlobalRaceReport global) {
        /** Racing pairs whose two accesses belong to different traces. */
        public long crossTracePairs() {
            return global.pairCount() - traces.stream().mapToLong(t -> t.races().pairCount()).sum();
        }

        public long crossTraceCritical() {
            return global.criticalCount() - traces.stream().mapToLong(t -> t.races().criticalCount()).sum();
        }

        public long crossTraceWarning() {
            return global.warningCount() - traces.stream().mapToLong(t -> t.races().warningCount()).sum();
        }
    }

    /** What one trace shows on its own. */
    public record TraceFindings(UUID traceId, List<Event> events, TraceRaceReport races,
                                Optional<CriticalPath> criticalPath, List<Anomaly> anomalies,
                                List<Deadlock> deadlocks) {
    }

    /** Decodes a batch and analyses it. Invalid events are reported, not fatal (as the server does). */
    public static Findings analyze(InputStream batch) throws MalformedBatchException {
        BatchDecodeResult decoded = EventJson.decodeBatch(batch, DecodeLimits.DEFAULT);
        Map<UUID, List<Event>> byTrace = new TreeMap<>();
        for (Event e : decoded.events()) {
            byTrace.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e);
        }
        // Latency baselines over every trace; each trace is then judged against the others.
        Map<String, DurationStats> baselines = new TreeMap<>();
        for (List<Event> events : byTrace.values()) {
            Anomalies.contribution(events).forEach((k, v) -> baselines.merge(k, v, DurationStats::merge));
        }
        List<TraceFindings> traces = new ArrayList<>();
        GlobalRaces.Builder global = GlobalRaces.builder();
        for (Map.Entry<UUID, List<Event>> t : byTrace.entrySet()) {
            List<Event> events = t.getValue();
            CausalityIndex index = CausalityIndex.of(events);
            traces.add(new TraceFindings(t.getKey(), index.events(), TraceRaces.analyze(index),
                    CriticalPaths.of(index), Anomalies.detect(events, baselines, true),
                    LockOrder.analyze(events, List.of())));
            global.addTrace(events);
        }
        return new Findings(decoded.events().size(), decoded.rejections(), traces, global.build());
    }

    public static Findings analyze(Path file) throws IOException, MalformedBatchException {
        try (InputStream in = Files.newInputStream(file)) {
            return analyze(in);
        }
    }

    public static Findings analyzeSample() throws MalformedBatchException {
        try (InputStream in = EmbeddedAnalysis.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is missing from the classpath");
            }
            return analyze(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs.main("embedded", args, EmbeddedAnalysis::main, "file");
    }

    private static void main(ExampleArgs a) throws Exception {
        String file = a.string("file", null);
        Findings findings;
        try {
            findings = file == null ? analyzeSample() : analyze(Path.of(file));
        } catch (MalformedBatchException e) {
            System.err.println("Not a POST /events body: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("Cannot read " + file + ": " + e);
            System.exit(2);
            return;
        }
        System.out.print(FindingsReport.render(file == null ? "sample-events.json (bundled)" : file, findings));
    }
}
