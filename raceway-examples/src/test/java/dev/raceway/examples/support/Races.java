package dev.raceway.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds race reports in API answers. */
public final class Races {
    private Races() {
    }

    /** Race details of {@code /api/analyze/global} on {@code variable} between two different traces of {@code traces}. */
    public static List<JsonNode> crossTrace(JsonNode global, String variable, String severity,
                                            Collection<String> traces) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : global.path("race_details")) {
            String t1 = r.path("trace1_id").asText();
            String t2 = r.path("trace2_id").asText();
            if (r.path("variable").asText().equals(variable) && r.path("severity").asText().equals(severity)
                    && !t1.equals(t2) && traces.contains(t1) && traces.contains(t2)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every race detail of {@code /api/analyze/global} on {@code variable}, whatever its traces and severity. */
    public static List<JsonNode> onVariable(JsonNode global, String variable) {
        List<JsonNode> out = new ArrayList<>();
        global.path("race_details").forEach(r -> {
            if (r.path("variable").asText().equals(variable)) {
                out.add(r);
            }
        });
        return out;
    }

    /**
     * Race entries of a trace bundle ({@code GET /api/traces/{id}}) on {@code variable} with {@code severity}: the
     * races inside the trace ({@code analysis.race_details}) and those with other traces ({@code cross_trace_races},
     * an array of pairs).
     */
    public static List<JsonNode> inTraceBundle(JsonNode bundle, String variable, String severity) {
        List<JsonNode> out = new ArrayList<>();
        collect(bundle.path("analysis").path("race_details"), variable, severity, out);
        collect(bundle.path("cross_trace_races"), variable, severity, out);
        return out;
    }

    private static void collect(JsonNode node, String variable, String severity, List<JsonNode> out) {
        if (node.isObject()) {
            if (node.path("variable").asText().equals(variable) && node.path("severity").asText().equals(severity)) {
                out.add(node);
                return;
            }
            node.forEach(child -> collect(child, variable, severity, out));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, variable, severity, out));
        }
    }
}
