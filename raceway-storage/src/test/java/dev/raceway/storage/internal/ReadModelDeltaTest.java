package dev.raceway.storage.internal;

import static dev.raceway.storage.TestEvents.at;
import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.functionCall;
import static dev.raceway.storage.TestEvents.inSpan;
import static dev.raceway.storage.TestEvents.stateChange;
import static dev.raceway.storage.TestEvents.uuid;
import static dev.raceway.storage.TestEvents.withDuration;
import static dev.raceway.storage.TestEvents.withService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.VectorClock;
import dev.raceway.storage.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadModelDeltaTest {
    private static final UUID A = uuid(1000);
    private static final UUID B = uuid(2000);

    private static Event request(UUID id, UUID trace, long millis) {
        return new Event(id, trace, Optional.empty(), at(millis),
                new EventKind.HttpRequest("POST", "http://api/transfer?x=1", Map.of(), Optional.empty()),
                TestEvents.meta("main", "api"), VectorClock.empty(), List.of());
    }

    @Test
    void aggregatesEachTraceOfTheBatch() {
        List<Event> batch = List.of(
                withDuration(call(uuid(1), A, 50), 30_000_000L),           // 0: starts at 20 (wall clock)
                stateChange(uuid(2), B, 5, "t1", "balance", AccessType.Write, "1"), // 1
                withService(call(uuid(3), A, 10), "worker"),                // 2: A's root (earliest, no parent)
                stateChange(uuid(4), A, 70, "t1", "balance", AccessType.Read, "1"), // 3
                stateChange(uuid(5), A, 60, "t2", "hits", AccessType.Write, "2"),   // 4
                stateChange(uuid(6), A, 80, "t1", "balance", AccessType.Write, "3")); // 5
        ReadModelDelta d = ReadModelDelta.of(batch);

        assertThat(d.traces()).extracting(ReadModelDelta.TraceDelta::traceId).containsExactly(A, B);
        ReadModelDelta.TraceDelta a = d.traces().iterator().next();
        assertThat(a.eventCount()).isEqualTo(5);
        assertThat(a.events().toArray()).containsExactly(0, 2, 3, 4, 5);
        assertThat(a.first()).isEqualTo(at(10));
        assertThat(a.last()).isEqualTo(at(80));
        assertThat(a.start()).isEqualTo(at(10)); // the call measured 30 ms up to 50 started at 20, after 10
        assertThat(a.root()).map(Event::id).contains(uuid(3));
        assertThat(a.operation()).contains("handle");
        assertThat(a.services()).extracting(ReadModelDelta.ServiceDelta::name).containsExactly("api", "worker");
        ReadModelDelta.ServiceDelta api = a.services().iterator().next();
        assertThat(api.eventCount()).isEqualTo(4);
        assertThat(api.last()).isEqualTo(at(80));
        assertThat(a.hasStateChanges()).isTrue();
        assertThat(a.variables()).containsOnlyKeys("balance", "hits");
        assertThat(a.variables().get("balance").toArray()).containsExactly(3, 5);
        assertThat(a.variables().get("hits").toArray()).containsExactly(4);

        ReadModelDelta.TraceDelta b = List.copyOf(d.traces()).get(1);
        assertThat(b.eventCount()).isEqualTo(1);
        assertThat(b.root()).map(Event::id).contains(uuid(2)); // any parentless event is a root candidate
        assertThat(b.operation()).contains("StateChange");
        assertThat(b.variables().get("balance").toArray()).containsExactly(1);
    }

    @Test
    void theWallClockStartComesFromDurationsAndTheRootFromTimestampThenId() {
        List<Event> batch = List.of(
                request(uuid(9), A, 100),
                request(uuid(8), A, 100), // same time, smaller id: the root
                withDuration(call(uuid(7), A, 150), 120_000_000L)); // measured up to 150: started at 30
        ReadModelDelta.TraceDelta a = ReadModelDelta.of(batch).traces().iterator().next();
        assertThat(a.root()).map(Event::id).contains(uuid(8));
        assertThat(a.operation()).contains("POST /transfer");
        assertThat(a.first()).isEqualTo(at(100));
        assertThat(a.start()).isEqualTo(at(30));
        assertThat(a.hasStateChanges()).isFalse();
        assertThat(a.variables()).isEmpty();
    }

    @Test
    void aChildIsNeverTheRoot() {
        Event child = functionCall(uuid(2), A, Optional.of(uuid(1)), at(1), "api", "inner");
        ReadModelDelta.TraceDelta a = ReadModelDelta.of(List.of(child)).traces().iterator().next();
        assertThat(a.root()).isEmpty();
        assertThat(a.operation()).isEmpty();
    }

    @Test
    void spansTakeTheirFirstEventsTraceAndWidenAndTheFirstEventOfAPairNamesTheEdge() {
        List<Event> batch = List.of(
                inSpan(call(uuid(1), A, 40), "pod-a", "s1", Optional.empty()),
                inSpan(request(uuid(2), B, 30), "pod-b", "s2", Optional.of("s1")),
                inSpan(call(uuid(3), A, 10), "pod-a", "s1", Optional.empty()),
                inSpan(call(uuid(4), B, 90), "pod-b", "s2", Optional.of("s1")),
                inSpan(withService(call(uuid(5), A, 95), "other"), "pod-c", "s2", Optional.empty()));
        ReadModelDelta d = ReadModelDelta.of(batch);

        assertThat(d.spans()).extracting(ReadModelDelta.SpanDelta::spanId).containsExactly("s1", "s2");
        ReadModelDelta.SpanDelta s1 = d.spans().iterator().next();
        assertThat(s1.traceId()).isEqualTo(A);
        assertThat(s1.instance()).isEqualTo("pod-a");
        assertThat(s1.first()).isEqualTo(at(10));
        assertThat(s1.last()).isEqualTo(at(40));
        ReadModelDelta.SpanDelta s2 = List.copyOf(d.spans()).get(1);
        assertThat(s2.traceId()).isEqualTo(B);
        assertThat(s2.service()).isEqualTo("api");
        assertThat(s2.instance()).isEqualTo("pod-b");
        assertThat(s2.first()).isEqualTo(at(30));
        assertThat(s2.last()).isEqualTo(at(95));

        assertThat(d.edges()).containsExactly(
                new ReadModelDelta.EdgeDelta("s1", "s2", EdgeLinkType.HttpCall, uuid(2), at(30)));
    }

    @Test
    void baselinesSumTheDurationsOfEachKey() {
        List<Event> batch = List.of(
                withDuration(call(uuid(1), A, 1), 2_000_000L),
                withDuration(call(uuid(2), B, 2), 4_000_000L),
                call(uuid(3), A, 3), // no duration: no sample
                withDuration(stateChange(uuid(4), A, 4, "t", "x", AccessType.Write, "1"), 1_000_000L));
        Map<String, DurationStats> baselines = ReadModelDelta.of(batch).baselines();
        assertThat(baselines).containsOnlyKeys("FunctionCall(handle)", "StateChange(x)");
        assertThat(baselines.get("FunctionCall(handle)")).isEqualTo(new DurationStats(2, 6, 20, 2, 4));
        assertThat(baselines.get("StateChange(x)")).isEqualTo(new DurationStats(1, 1, 1, 1, 1));
    }

    @Test
    void keysTheBackendStoresAlikeAreOneEntry() {
        List<Event> batch = List.of(
                withDuration(stateChange(uuid(1), A, 1, "t", "a\0b", AccessType.Write, "1"), 1_000_000L),
                withDuration(stateChange(uuid(2), A, 2, "t", "a?b", AccessType.Write, "1"), 3_000_000L),
                inSpan(call(uuid(3), A, 3), "pod", "s\0", Optional.empty()),
                inSpan(call(uuid(4), A, 4), "pod", "s?", Optional.empty()));
        ReadModelDelta d = ReadModelDelta.of(batch, s -> s.replace('\0', '?'));
        assertThat(d.baselines()).containsOnlyKeys("StateChange(a?b)");
        assertThat(d.baselines().get("StateChange(a?b)").count()).isEqualTo(2);
        assertThat(d.traces().iterator().next().variables()).containsOnlyKeys("a?b");
        assertThat(d.traces().iterator().next().variables().get("a?b").toArray()).containsExactly(0, 1);
        assertThat(d.spans()).singleElement().satisfies(s -> {
            assertThat(s.spanId()).isEqualTo("s?");
            assertThat(s.first()).isEqualTo(at(3));
            assertThat(s.last()).isEqualTo(at(4));
        });
    }

    @Test
    void anEmptyBatchHasNoDelta() {
        ReadModelDelta d = ReadModelDelta.of(List.of());
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.traces()).isEmpty();
        assertThat(d.spans()).isEmpty();
        assertThat(d.edges()).isEmpty();
        assertThat(d.baselines()).isEmpty();
    }
}
