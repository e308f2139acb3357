package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Latency anomalies against per-kind baselines ({@link BaselineKey}). Only events with a duration count. A trace is
 * never compared with itself: when the baselines already contain the trace, its own contribution
 * ({@link #contribution}) is subtracted first.
 */
public final class Anomalies {
    private Anomalies() {
    }

    /** What this trace adds to the baselines: per key, the statistics of its events' durations. */
    public static Map<String, DurationStats> contribution(Collection<Event> traceEvents) {
        Map<String, DurationStats> out = new TreeMap<>();
        for (Event e : distinct(traceEvents)) {
            if (e.metadata().durationNs().isPresent()) {
                out.merge(BaselineKey.of(e.kind()), DurationStats.of(e.metadata().durationMs()),
                        DurationStats::merge);
            }
        }
        return out;
    }

    /**
     * @param baselines              per-key statistics over all traces
     * @param baselinesIncludeTrace  whether {@code baselines} already contain this trace's events (they are then
     *                               subtracted, so the trace is judged against the others only)
     */
    public static List<Anomaly> detect(Collection<Event> traceEvents, Map<String, DurationStats> baselines,
                                       boolean baselinesIncludeTrace, AnomalyOptions options) {
        Objects.requireNonNull(baselines, "baselines");
        Objects.requireNonNull(options, "options");
        List<Event> events = distinct(traceEvents);
        Map<String, DurationStats> own = baselinesIncludeTrace ? contribution(events) : Map.of();
        List<Anomaly> out = new ArrayList<>();
        for (Event e : events) {
            if (e.metadata().durationNs().isEmpty()) {
                continue;
            }
            String key = BaselineKey.of(e.kind());
            DurationStats b = baselines.getOrDefault(key, DurationStats.EMPTY)
                    .subtract(own.getOrDefault(key, DurationStats.EMPTY));
            if (b.count() < options.minSamples()) {
                continue;
            }
            double x = e.metadata().durationMs();
            double mean = b.mean();
            double sd = b.stdDev();
            double sigma;
            boolean anomalous;
            if (sd > 0) {
                sigma = Math.abs(x - mean) / sd;
                anomalous = sigma > options.thresholdSigma();
            } else if (mean != 0) {
                double pct = Math.abs(x - mean) / Math.abs(mean) * 100;
                sigma = pct / 10;
                anomalous = pct > options.zeroSpreadPercent();
            } else {
                sigma = x == 0 ? 0 : Double.POSITIVE_INFINITY; // every sample was 0 ms
                anomalous = x != 0;
            }
            if (!anomalous) {
                continue;
            }
            AnomalySeverity severity = sigma > 5 ? AnomalySeverity.Critical
                    : sigma > 3 ? AnomalySeverity.Warning : AnomalySeverity.Minor;
            String sigmaText = Double.isFinite(sigma) ? String.format(Locale.ROOT, "%.1f", sigma) : "∞";
            String description = String.format(Locale.ROOT, "%s took %.2fms (expected %.2fms ± %.2fms, %sσ from mean)",
                    key, x, mean, sd, sigmaText);
            out.add(new Anomaly(e, key, severity, x, mean, sigma, description, EventLabels.anomalyLocation(e.kind())));
        }
        return out;
    }

    public static List<Anomaly> detect(Collection<Event> traceEvents, Map<String, DurationStats> baselines,
                                       boolean baselinesIncludeTrace) {
        return detect(traceEvents, baselines, baselinesIncludeTrace, AnomalyOptions.DEFAULT);
    }

    private static List<Event> distinct(Collection<Event> events) {
        Map<java.util.UUID, Event> byId = new LinkedHashMap<>();
        for (Event e : events) {
            byId.putIfAbsent(e.id(), e);
        }
        List<Event> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(Event::timestamp).thenComparing(Event::id));
        return out;
    }
}
