package dev.raceway.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.TraceAnalysis;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.MalformedBatchException;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.server.http.Json;
import dev.raceway.server.query.GlobalRaceQuery;
import dev.raceway.server.query.LinkedTrace;
import dev.raceway.server.query.TimeWindow;
import dev.raceway.server.query.TraceFindings;
import dev.raceway.storage.memory.MemoryEventStore;
import dev.raceway.storage.MemoryStoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The analysis response shapes, field by field, over the reference's conformance fixture. */
class AnalysisJsonTest {
    private static final UUID F0_TRACE = UUID.fromString("aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa");
    private static final Instant T0 = Instant.parse("2024-01-01T12:00:00Z");
    private final List<Event> f0 = f0();
    private final CausalityIndex index = CausalityIndex.of(f0);

    private static List<Event> f0() {
        try (InputStream in = AnalysisJsonTest.class.getClassLoader().getResourceAsStream("golden/f0-events.json")) {
            return EventJson.decodeBatch(in.readAllBytes()).events();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedBatchException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Json.Writable w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFactory.builder().build().createGenerator(out)) {
            w.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static UUID uuid(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    private static UUID trace(int n) {
        return UUID.fromString(String.format("7777%04d-0000-4000-8000-000000000000", n));
    }

    private static Event event(int trace, int id, String thread, long atMs, EventKind kind) {
        return new Event(uuid(id), trace(trace), Optional.empty(), T0.plusMillis(atMs), kind,
                EventMetadata.of(thread, 1, "svc", "test"), VectorClock.empty(), List.of());
    }

    private static Event lock(int trace, int id, String thread, long atMs, String lock) {
        return event(trace, id, thread, atMs, new EventKind.LockAcquire(lock, "Mutex", "locks.rs:" + atMs));
    }

    private static Event write(int trace, int id, String thread, long atMs, String variable, long old, long value) {
        return event(trace, id, thread, atMs, new EventKind.StateChange(variable, Optional.of(JsonValue.of(old)),
                JsonValue.of(value), "bank.rs:" + id, AccessType.Write));
    }

    private String bundle(TraceAnalysis analysis) {
        TraceFindings f = new TraceFindings(new LinkedTrace(F0_TRACE, f0, f0, List.of()), analysis, List.of(),
                List.of());
        return json(AnalysisJson.bundle(F0_TRACE.toString(), f, 0, 0));
    }

    @Test
    void raceAnalysisHasTheReferenceShapeAndLines() {
        String json = bundle(TraceAnalysis.of(index));
        // the reference's fields, plus distinct races and shown/total (additions old clients ignore)
        assertThat(json).contains("\"analysis\":{\"concurrent_events\":1,\"potential_races\":1,\"critical_races\":1,"
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
        assertThat(bundle(TraceAnalysis.withoutRaces(index)))
                .contains("\"anomalies\":[\"No potential races detected for this trace\"]");
    }

    @Test
    void bundlePagesTheEventsButCountsThemAll() {
        TraceFindings f = new TraceFindings(new LinkedTrace(F0_TRACE, f0, f0, List.of()), TraceAnalysis.of(index),
                List.of(), List.of());
        String json = json(AnalysisJson.bundle(F0_TRACE.toString(), f, 1, 2));
        assertThat(json).contains("\"events_total\":4,\"event_offset\":1,\"events_truncated\":true");
        assertThat(json).contains("\"events\":[{\"id\":\"cccccccc-cccc-4ccc-cccc-cccccccccccc\"");
        assertThat(json.split("\"causality_vector\"", -1)).as("one event listed").hasSize(2);
    }

    @Test
    void criticalPathUsesZTimestamps() {
        String json = json(AnalysisJson.criticalPath(F0_TRACE.toString(), CriticalPaths.of(index).orElseThrow()));
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
        String trail = json(AnalysisJson.auditTrail(F0_TRACE.toString(), "balance", AuditTrail.of(index, "balance")));
        assertThat(trail).contains("{\"event_id\":\"cccccccc-cccc-4ccc-cccc-cccccccccccc\","
                + "\"timestamp\":\"2024-01-01T12:00:00.001Z\",\"thread_id\":\"worker-1\",\"service_name\":\"web\","
                + "\"access_type\":\"Write\",\"old_value\":10,\"new_value\":15,\"location\":\"balance.rs:12\","
                + "\"has_causal_link_to_previous\":true,\"is_race\":false}");
        String deps = json(AnalysisJson.dependencies(F0_TRACE.toString(), TraceDependencies.of(index)));
        assertThat(deps).isEqualTo("{\"trace_id\":\"aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa\","
                + "\"services\":[{\"name\":\"web\",\"event_count\":4}],\"dependencies\":[]}");
    }

    @Test
    void globalRacesDescribeCrossTraceWrites() {
        MemoryEventStore store = new MemoryEventStore(MemoryStoreConfig.defaults());
        store.write(List.of(write(1, 1, "r1", 1, "alice.balance", 100, 50),
                write(2, 2, "r2", 2, "alice.balance", 100, 70)));
        String json = json(AnalysisJson.crossTraceRaces(
                new GlobalRaceQuery(store, FeatureFlags.defaults()).analyze(TimeWindow.ALL)));
        assertThat(json).contains("\"total_traces\":2", "\"potential_races\":1", "\"within_trace_races\":0",
                "\"🌐 GLOBAL: Found 1 distinct races (1 pairs of concurrent events across traces)\"",
                "\"event1_timestamp\":\"2024-01-01T12:00:00.001Z\"",
                "Cross-trace write-write race on alice.balance. Trace 77770001 (thread r1) wrote Number(50), "
                        + "Trace 77770002 (thread r2) wrote Number(70)",
                "\"by_variable\":[{\"variable\":\"alice.balance\",\"potential_races\":1,\"between_traces\":1,"
                        + "\"within_trace\":0,\"critical\":1");
    }

    @Test
    void deadlocksListTheirEdges() {
        List<Event> events = List.of(lock(1, 1, "t1", 0, "A"), lock(1, 2, "t1", 1, "B"),
                lock(1, 3, "t2", 0, "B"), lock(1, 4, "t2", 1, "A"));
        String json = json(AnalysisJson.deadlocks(LockOrder.analyze(events, List.of())));
        assertThat(json).startsWith("{\"deadlock_count\":1,\"deadlocks\":[{\"locks\":[\"A\",\"B\"],"
                + "\"severity\":\"CRITICAL\"");
        assertThat(json).contains("{\"held_lock\":\"A\",\"acquired_lock\":\"B\","
                + "\"trace_id\":\"77770001-0000-4000-8000-000000000000\",\"thread_id\":\"t1\","
                + "\"event_id\":\"00000000-0000-4000-8000-000000000002\",\"location\":\"locks.rs:1\","
                + "\"timestamp\":\"2024-01-01T12:00:00.001Z\"}");
    }
}
