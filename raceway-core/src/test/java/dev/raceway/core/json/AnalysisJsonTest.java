package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import dev.raceway.core.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisJsonTest {
    private final CausalityIndex index = CausalityIndex.of(Fixtures.f0());

    @Test
    void raceAnalysisHasTheReferenceShapeAndLines() {
        String json = AnalysisJson.toJson(g -> AnalysisJson.writeRaces(g, TraceRaces.analyze(index)));
        // the reference's fields, plus distinct races and shown/total (additions old clients ignore)
        assertThat(json).isEqualTo("{\"concurrent_events\":1,\"potential_races\":1,\"critical_races\":1,"
                + "\"warning_races\":0,\"distinct_race_count\":1,\"distinct_races\":[{\"severity\":\"CRITICAL\","
                + "\"locations\":[\"balance.rs:12\",\"balance.rs:45\"],\"accesses\":[\"Write\",\"Write\"],"
                + "\"variables\":[\"balance\"],\"occurrences\":1,\"traces\":1}],\"shown\":1,\"total\":1,"
                + "\"anomalies\":[\"🚨 CRITICAL RACE on balance\","
                + "\"   Event 1: cccccccc @ balance.rs:12 [worker-1]\",\"           @ 12:00:00.001\","
                + "\"           WRITE: Some(Number(10)) → Number(15)\","
                + "\"   Event 2: dddddddd @ balance.rs:45 [worker-2]\",\"           @ 12:00:00.002\","
                + "\"           WRITE: Some(Number(15)) → Number(20)\",\"\"],"
                + "\"race_details\":[{\"severity\":\"CRITICAL\",\"variable\":\"balance\","
                + "\"event1_thread\":\"worker-1\",\"event2_thread\":\"worker-2\","
                + "\"event1_location\":\"balance.rs:12\",\"event2_location\":\"balance.rs:45\","
                + "\"event1_id\":\"cccccccc-cccc-4ccc-cccc-cccccccccccc\","
                + "\"event2_id\":\"dddddddd-dddd-4ddd-dddd-dddddddddddd\","
                + "\"description\":\"Write-Write race on balance. Both threads modified the same variable "
                + "without synchronization.\"}]}");
    }

    @Test
    void noRacesGiveTheReferenceSentence() {
        String json = AnalysisJson.toJson(g -> AnalysisJson.writeRaces(g,
                TraceRaces.analyze(CausalityIndex.of(List.of(Ev.in(1).call("f"))))));
        assertThat(json).contains("\"anomalies\":[\"No potential races detected for this trace\"]");
    }

    @Test
    void criticalPathUsesZTimestamps() {
        String json = AnalysisJson.toJson(g -> AnalysisJson.writeCriticalPath(g, Fixtures.F0_TRACE.toString(),
                CriticalPaths.of(index).orElseThrow()));
        assertThat(json).startsWith("{\"trace_id\":\"aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa\",\"path_events\":2,"
                + "\"total_duration_ms\":26.0,\"trace_total_duration_ms\":37.0,"
                + "\"percentage_of_total\":70.27027027027027,\"wall_duration_ms\":19.0,\"trace_wall_duration_ms\":22.0,"
                + "\"percentage_of_wall\":86.36363636363636,"
                + "\"path\":[{\"id\":\"bbbbbbbb-bbbb-4bbb-bbbb-bbbbbbbbbbbb\","
                + "\"kind\":\"FunctionCall(handle_request)\",\"location\":\"app/handlers.rs:10\","
                + "\"timestamp\":\"2024-01-01T12:00:00Z\",\"duration_ms\":17.0");
    }

    @Test
    void auditTrailAndDependenciesHaveTheReferenceFields() {
        String trail = AnalysisJson.toJson(g -> AnalysisJson.writeAuditTrail(g, Fixtures.F0_TRACE.toString(),
                "balance", AuditTrail.of(index, "balance")));
        assertThat(trail).contains("{\"event_id\":\"cccccccc-cccc-4ccc-cccc-cccccccccccc\","
                + "\"timestamp\":\"2024-01-01T12:00:00.001Z\",\"thread_id\":\"worker-1\",\"service_name\":\"web\","
                + "\"access_type\":\"Write\",\"old_value\":10,\"new_value\":15,\"location\":\"balance.rs:12\","
                + "\"has_causal_link_to_previous\":true,\"is_race\":false}");
        String deps = AnalysisJson.toJson(g -> AnalysisJson.writeDependencies(g, Fixtures.F0_TRACE.toString(),
                TraceDependencies.of(index)));
        assertThat(deps).isEqualTo("{\"trace_id\":\"aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa\","
                + "\"services\":[{\"name\":\"web\",\"event_count\":4}],\"dependencies\":[]}");
    }

    @Test
    void globalRacesDescribeCrossTraceWrites() {
        List<Event> t1 = List.of(Ev.in(1).id(1).thread("r1").at(1).write("alice.balance", 100, 50));
        List<Event> t2 = List.of(Ev.in(2).id(2).thread("r2").at(2).write("alice.balance", 100, 70));
        String json = AnalysisJson.toJson(g -> AnalysisJson.writeGlobalRaces(g,
                GlobalRaces.analyze(List.of(t1, t2), List.of())));
        assertThat(json).contains("\"total_traces\":2", "\"potential_races\":1",
                "\"🌐 GLOBAL: Found 1 pairs of concurrent events across all traces\"",
                "\"event1_timestamp\":\"2024-01-01T12:00:00.001Z\"",
                "Cross-trace write-write race on alice.balance. Trace 77770000 (thread r1) wrote Number(50), "
                        + "Trace 77770000 (thread r2) wrote Number(70)",
                "\"by_variable\":[{\"variable\":\"alice.balance\",\"potential_races\":1,\"critical\":1");
    }

    @Test
    void deadlocksListTheirEdges() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(0).lock("A"), Ev.in(1).id(2).thread("t1").at(1).lock("B"),
                Ev.in(1).id(3).thread("t2").at(0).lock("B"), Ev.in(1).id(4).thread("t2").at(1).lock("A"));
        String json = AnalysisJson.toJson(g -> AnalysisJson.writeDeadlocks(g, LockOrder.analyze(events, List.of())));
        assertThat(json).startsWith("{\"deadlock_count\":1,\"deadlocks\":[{\"locks\":[\"A\",\"B\"],"
                + "\"severity\":\"CRITICAL\"");
        assertThat(json).contains("{\"held_lock\":\"A\",\"acquired_lock\":\"B\","
                + "\"trace_id\":\"77770000-0000-4000-8000-000000000001\",\"thread_id\":\"t1\","
                + "\"event_id\":\"00000000-0000-4000-8000-000000000002\",\"location\":\"locks.rs:1\","
                + "\"timestamp\":\"2024-01-01T12:00:00.001Z\"}");
    }
}
