package dev.raceway.server.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code raceway trace ID} as text: the trace at a glance, its races inside the trace and with other traces, and the
 * critical path. Values are printed as JSON (taken from the events themselves), never in the Rust Debug notation of
 * the API's reference-compatible text fields.
 */
final class TraceReport {
    private final Map<String, Object> bundle;
    private final PrintStream out;
    private final Map<String, Map<?, ?>> eventsById = new HashMap<>();

    TraceReport(Map<String, Object> bundle, PrintStream out) {
        this.bundle = bundle;
        this.out = out;
        if (bundle.get("events") instanceof List<?> events) {
            for (Object o : events) {
                if (o instanceof Map<?, ?> e) {
                    eventsById.put(String.valueOf(e.get("id")), e);
                }
            }
        }
    }

    void print(String id) {
        out.println("Trace " + id + ": " + eventsById.size() + " events");
        Map<?, ?> analysis = bundle.get("analysis") instanceof Map<?, ?> a ? a : Map.of();
        printDistinct(analysis, out);
        List<?> local = analysis.get("race_details") instanceof List<?> l ? l : List.of();
        Object count = analysis.get("potential_races");
        out.println("Potential races: " + (count != null ? count : local.size()) + " pairs (showing "
                + (analysis.get("shown") != null ? analysis.get("shown") : local.size()) + " of "
                + (analysis.get("total") != null ? analysis.get("total") : local.size()) + ")");
        for (Object o : local) {
            Map<?, ?> r = (Map<?, ?>) o;
            out.println("  " + r.get("severity") + " " + r.get("variable") + ": " + side(r, 1) + "  vs  " + side(r, 2));
        }
        List<?> cross = bundle.get("cross_trace_races") instanceof List<?> c ? c : List.of();
        out.println("Races with other traces: " + cross.size());
        for (Object o : cross) {
            Map<?, ?> r = (Map<?, ?>) o;
            out.println("  " + r.get("severity") + " " + r.get("variable") + ": " + crossSide(r, 1, id) + "  vs  "
                    + crossSide(r, 2, id));
        }
        if (bundle.get("critical_path") instanceof Map<?, ?> cp) {
            boolean wall = cp.containsKey("trace_wall_duration_ms");
            out.printf(Locale.ROOT, "Critical path: %s events cover %.1f ms of %.1f ms%s (%.1f%%)%n",
                    cp.get("path_events"), number(cp.get(wall ? "wall_duration_ms" : "total_duration_ms")),
                    number(cp.get(wall ? "trace_wall_duration_ms" : "trace_total_duration_ms")),
                    wall ? " of wall-clock time" : "", number(cp.get(wall ? "percentage_of_wall" : "percentage_of_total")));
        }
        if (bundle.get("anomalies") instanceof List<?> anomalies && !anomalies.isEmpty()) {
            out.println("Latency anomalies: " + anomalies.size());
            for (Object o : anomalies) {
                Map<?, ?> a = (Map<?, ?>) o;
                out.printf(Locale.ROOT, "  %s %s took %.1f ms (expected %.1f ms)%n", a.get("severity"),
                        a.get("event_kind"), number(a.get("actual_duration_ms")), number(a.get("expected_duration_ms")));
            }
        }
    }

    /** Distinct races shown by {@code trace} and {@code races}, at most. */
    static final int MAX_DISTINCT_SHOWN = 20;

    /** Leads with the distinct races: one line per pair of code locations, with how often they raced. */
    static void printDistinct(Map<?, ?> report, PrintStream out) {
        List<?> distinct = report.get("distinct_races") instanceof List<?> l ? l : List.of();
        Object count = report.get("distinct_race_count") != null ? report.get("distinct_race_count") : distinct.size();
        int shown = Math.min(MAX_DISTINCT_SHOWN, distinct.size());
        out.println("Distinct races: " + count + " (showing " + shown + " of " + count + ")");
        for (Object o : distinct.subList(0, shown)) {
            Map<?, ?> d = (Map<?, ?>) o;
            List<?> loc = (List<?>) d.get("locations");
            List<?> acc = (List<?>) d.get("accesses");
            out.println("  [" + d.get("severity") + "] " + loc.get(0) + " (" + acc.get(0) + ") × " + loc.get(1)
                    + " (" + acc.get(1) + "): " + d.get("occurrences") + " pairs in " + d.get("traces")
                    + " traces; variables: " + String.join(", ", ((List<?>) d.get("variables")).stream()
                    .map(String::valueOf).toList()));
        }
    }

    /** {@code [thread] Write 1000 → 900 @ Bank.java:88}, the values from the event (JSON). */
    private String side(Map<?, ?> race, int n) {
        String access = access(eventsById.get(String.valueOf(race.get("event" + n + "_id"))));
        return "[" + race.get("event" + n + "_thread") + "] " + (access.isEmpty() ? "" : access + " ") + "@ "
                + race.get("event" + n + "_location");
    }

    private String crossSide(Map<?, ?> race, int n, String thisTrace) {
        Object trace = race.get("trace" + n + "_id");
        String where = String.valueOf(trace).equals(thisTrace) ? "this trace" : "trace " + RacewayCli.shortId(trace);
        return where + " " + side(race, n);
    }

    /** {@code Write 1000 → 900} or {@code Read 1000} of a StateChange event, else empty. */
    static String access(Map<?, ?> event) {
        if (event == null || !(event.get("kind") instanceof Map<?, ?> kind)
                || !(kind.get("StateChange") instanceof Map<?, ?> sc)) {
            return "";
        }
        String type = String.valueOf(sc.get("access_type"));
        String value = MiniJson.write(sc.get("new_value"));
        return type.toLowerCase(Locale.ROOT).contains("write") && sc.containsKey("old_value")
                ? type + " " + MiniJson.write(sc.get("old_value")) + " → " + value
                : type + " " + value;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
