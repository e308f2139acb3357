package dev.raceway.storage;

import static dev.raceway.storage.TestEvents.at;
import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.inSpan;
import static dev.raceway.storage.TestEvents.stateChange;
import static dev.raceway.storage.TestEvents.uuid;
import static dev.raceway.storage.TestEvents.withDuration;
import static dev.raceway.storage.TestEvents.withService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.raceway.core.analysis.BaselineKey;
import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} backend must have. A backend's test class extends this and supplies an
 * empty store; the tests are the same for all backends (Zipkin's pattern).
 */
public abstract class EventStoreContract {
    protected EventStore store;

    /** An empty store; called before each test. */
    protected abstract EventStore openEmptyStore();

    @BeforeEach
    void openStore() {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static final UUID TRACE_A = uuid(0xA000);
    static final UUID TRACE_B = uuid(0xB000);
    static final UUID TRACE_C = uuid(0xC000);

    @Test
    void storesEveryKindExactlyAsReceived() {
        List<Event> events = TestEvents.everyKind(TRACE_A, 1);

        WriteResult r = store.write(events);

        assertThat(r).isEqualTo(new WriteResult(events.size(), events.size()));
        assertThat(store.traceEvents(TRACE_A)).containsExactlyElementsOf(events);
        for (Event e : events) {
            assertThat(store.event(e.id())).contains(e);
        }
    }

    @Test
    void unknownIdsReadAsEmpty() {
        store.write(List.of(call(uuid(1), TRACE_A, 0)));

        assertThat(store.event(uuid(999))).isEmpty();
        assertThat(store.traceEvents(TRACE_B)).isEmpty();
        assertThat(store.traceSummary(TRACE_B)).isEmpty();
        assertThat(store.spans(TRACE_B)).isEmpty();
        assertThat(store.edges(TRACE_B)).isEmpty();
        assertThat(store.variableAccesses("nope")).isEmpty();
        assertThat(store.span("nope")).isEmpty();
        assertThat(store.baseline("nope")).isEmpty();
    }

    @Test
    void emptyBatchIsANoOp() {
        assertThat(store.write(List.of())).isEqualTo(new WriteResult(0, 0));
        assertThat(store.counts()).isEqualTo(new StoreCounts(0, 0));
    }

    @Test
    void traceEventsAreOrderedByTimestampThenClockLengthThenUnsignedId() {
        UUID high = new UUID(0xF000_0000_0000_0000L, 1); // negative as a signed long: must sort last
        UUID low = new UUID(0x1000_0000_0000_0000L, 1);
        Event late = call(uuid(1), TRACE_A, 50);
        Event sameTimeHighId = call(high, TRACE_A, 10);
        Event sameTimeLowId = call(low, TRACE_A, 10);
        Event sameTimeLongClock = call(uuid(2), TRACE_A, 10).withCausalityVector(
                VectorClock.of(List.of(new ClockEntry("a", 1), new ClockEntry("b", 2))));
        Event early = call(uuid(3), TRACE_A, 0);

        store.write(List.of(late, sameTimeLongClock, sameTimeHighId));
        store.write(List.of(sameTimeLowId, early));

        assertThat(store.traceEvents(TRACE_A))
                .containsExactly(early, sameTimeLowId, sameTimeHighId, sameTimeLongClock, late);
    }

    @Test
    void writesAreIdempotentByEventId() {
        Event a = withDuration(call(uuid(1), TRACE_A, 0), 5_000_000);
        Event b = withDuration(call(uuid(2), TRACE_A, 1), 7_000_000);
        Event sc = stateChange(uuid(3), TRACE_A, 2, "t1", "x", AccessType.Write, "1");

        assertThat(store.write(List.of(a, b, a))).isEqualTo(new WriteResult(3, 2));
        assertThat(store.write(List.of(b, sc, sc))).isEqualTo(new WriteResult(3, 1));
        assertThat(store.write(List.of(a, b, sc))).isEqualTo(new WriteResult(3, 0));

        assertThat(store.traceEvents(TRACE_A)).containsExactly(a, b, sc);
        assertThat(store.counts()).isEqualTo(new StoreCounts(3, 1));
        assertThat(store.traceSummary(TRACE_A).orElseThrow().eventCount()).isEqualTo(3);
        assertThat(store.variableAccesses("x")).hasSize(1);
        DurationStats stats = store.baseline(BaselineKey.of(a.kind())).orElseThrow();
        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.sumMs()).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void aDuplicateKeepsTheFirstWrittenVersion() {
        Event first = call(uuid(1), TRACE_A, 0);
        Event retried = call(uuid(1), TRACE_A, 99);

        store.write(List.of(first));
        WriteResult r = store.write(List.of(retried));

        assertThat(store.event(uuid(1))).contains(first);
        assertThat(r.conflicting()).containsExactly(uuid(1));
    }

    @Test
    void aDuplicateWithOtherContentIsReportedAndAnExactOneIsNot() {
        Event first = call(uuid(1), TRACE_A, 0);
        Event other = call(uuid(1), TRACE_A, 99);
        Event second = call(uuid(2), TRACE_A, 1);
        store.write(List.of(first, second));

        assertThat(store.write(List.of(first, second)).conflicting()).isEmpty();
        assertThat(store.write(List.of(other, second)).conflicting()).containsExactly(uuid(1));
        // Within one batch the first of two versions is stored; the second is reported.
        Event third = call(uuid(3), TRACE_A, 2);
        Event thirdOther = call(uuid(3), TRACE_A, 3);
        WriteResult r = store.write(List.of(third, thirdOther));
        assertThat(r.conflicting()).containsExactly(uuid(3));
        assertThat(store.event(uuid(3))).contains(third);
    }

    @Test
    void childrenMayArriveBeforeTheirParents() {
        Event root = call(uuid(1), TRACE_A, 0);
        Event child = TestEvents.functionCall(uuid(2), TRACE_A, Optional.of(uuid(1)), at(1), "api", "child");
        Event grandChild = TestEvents.functionCall(uuid(3), TRACE_A, Optional.of(uuid(2)), at(2), "api", "gc");

        store.write(List.of(grandChild));
        store.write(List.of(child));
        store.write(List.of(root));

        assertThat(store.traceEvents(TRACE_A)).containsExactly(root, child, grandChild);
    }

    @Test
    void parentsMayBeMissingAltogether() {
        Event orphan = TestEvents.functionCall(uuid(2), TRACE_A, Optional.of(uuid(77)), at(1), "api", "orphan");

        assertThat(store.write(List.of(orphan)).inserted()).isEqualTo(1);
        assertThat(store.traceEvents(TRACE_A)).containsExactly(orphan);
    }

    @Test
    void traceSummariesListNewestFirstWithCountsTimesAndSortedServices() {
        store.write(List.of(withService(call(uuid(1), TRACE_A, 30), "web"), call(uuid(2), TRACE_A, 10),
                withService(call(uuid(3), TRACE_A, 20), "db"), call(uuid(4), TRACE_A, 15)));
        store.write(List.of(call(uuid(5), TRACE_B, 100)));
        store.write(List.of(call(uuid(6), TRACE_C, 5), call(uuid(7), TRACE_C, 6)));

        TracePage page = store.traceSummaries(TraceQuery.page(1, 10));

        assertThat(page.totalTraces()).isEqualTo(3);
        assertThat(page.totalPages()).isEqualTo(1);
        assertThat(page.traces()).containsExactly(
                new TraceSummary(TRACE_B, 1, at(100), at(100), List.of("api"), at(100), Optional.of("handle")),
                new TraceSummary(TRACE_A, 4, at(10), at(30), List.of("api", "db", "web"), at(10),
                        Optional.of("handle")),
                new TraceSummary(TRACE_C, 2, at(5), at(6), List.of("api"), at(5), Optional.of("handle")));
        assertThat(page.traces().get(1).serviceCount()).isEqualTo(3);
        assertThat(store.traceSummary(TRACE_A)).contains(page.traces().get(1));
    }

    @Test
    void summaryTimesAreMinAndMaxWhateverTheArrivalOrder() {
        store.write(List.of(call(uuid(1), TRACE_A, 50)));
        store.write(List.of(call(uuid(2), TRACE_A, 10), call(uuid(3), TRACE_A, 90)));
        store.write(List.of(call(uuid(4), TRACE_A, 40)));

        TraceSummary s = store.traceSummary(TRACE_A).orElseThrow();
        assertThat(s.firstTimestamp()).isEqualTo(at(10));
        assertThat(s.lastTimestamp()).isEqualTo(at(90));
    }

    @Test
    void traceSummariesArePagedFilteredByServiceAndByMinimumEventCount() {
        for (int i = 0; i < 25; i++) {
            UUID trace = uuid(0x100 + i);
            List<Event> events = new ArrayList<>();
            for (int j = 0; j <= i % 3; j++) {
                Event e = call(uuid(1000 + i * 10 + j), trace, i * 10L + j);
                events.add(i % 2 == 0 ? withService(e, "even") : e);
            }
            store.write(events);
        }

        TracePage p1 = store.traceSummaries(TraceQuery.page(1, 10));
        TracePage p3 = store.traceSummaries(TraceQuery.page(3, 10));
        TracePage p4 = store.traceSummaries(TraceQuery.page(4, 10));
        assertThat(p1.traces()).hasSize(10);
        assertThat(p1.traces().get(0).traceId()).isEqualTo(uuid(0x100 + 24));
        assertThat(p3.traces()).extracting(TraceSummary::traceId)
                .containsExactly(uuid(0x104), uuid(0x103), uuid(0x102), uuid(0x101), uuid(0x100));
        assertThat(p4.traces()).isEmpty();
        assertThat(p4.totalTraces()).isEqualTo(25);
        assertThat(p1.totalPages()).isEqualTo(3);

        TracePage even = store.traceSummaries(TraceQuery.page(1, 100).withService("even"));
        assertThat(even.totalTraces()).isEqualTo(13);
        assertThat(even.traces()).allSatisfy(s -> assertThat(s.services()).containsExactly("even"));

        TracePage big = store.traceSummaries(TraceQuery.page(1, 100).withMinEvents(3));
        assertThat(big.totalTraces()).isEqualTo(8); // i % 3 == 2
        assertThat(big.traces()).allSatisfy(s -> assertThat(s.eventCount()).isEqualTo(3));

        TracePage both = store.traceSummaries(TraceQuery.page(1, 100).withService("even").withMinEvents(3));
        assertThat(both.traces()).extracting(TraceSummary::traceId)
                .containsExactly(uuid(0x100 + 20), uuid(0x100 + 14), uuid(0x100 + 8), uuid(0x100 + 2));
        assertThat(store.traceSummaries(TraceQuery.page(1, 10).withService("nobody")).totalTraces()).isZero();
    }

    /** An HTTP request at {@code startMs} answered {@code durationMs} later, with a child call in between. */
    private static List<Event> request(UUID trace, long idBase, String method, String url, long startMs,
                                       long durationMs, String service) {
        Event req = new Event(uuid(idBase), trace, Optional.empty(), at(startMs),
                new EventKind.HttpRequest(method, url, Map.of(), Optional.empty()), TestEvents.meta("http-1", service),
                VectorClock.empty(), List.of());
        // The response is recorded when it is sent: its duration reaches back to the request.
        Event resp = withDuration(new Event(uuid(idBase + 1), trace, Optional.of(req.id()), at(startMs + durationMs),
                new EventKind.HttpResponse(200, Map.of(), Optional.empty(), durationMs),
                TestEvents.meta("http-1", service), VectorClock.empty(), List.of()), durationMs * 1_000_000);
        // A function that ran for 30 ms and was recorded when it returned, 5 ms before the response.
        Event fn = withDuration(TestEvents.functionCall(uuid(idBase + 2), trace, Optional.of(req.id()),
                at(startMs + durationMs - 5), service, "work"), 30_000_000);
        return List.of(resp, fn, req);
    }

    @Test
    void summariesHaveTheRootOperationAndTheWallClockDuration() {
        // A trace whose earliest event is a function that ended at 40 ms after running 50 ms: it started at -10 ms.
        store.write(List.of(withDuration(call(uuid(1), TRACE_A, 40), 50_000_000), call(uuid(2), TRACE_A, 100)));
        store.write(request(TRACE_B, 10, "POST", "http://127.0.0.1:3000/api/transfer?dry=1", 200, 120, "bank"));

        TraceSummary a = store.traceSummary(TRACE_A).orElseThrow();
        assertThat(a.startTimestamp()).isEqualTo(at(-10));
        assertThat(a.firstTimestamp()).isEqualTo(at(40));
        assertThat(a.durationMs()).isEqualTo(110.0);
        assertThat(a.operation()).contains("handle");
        TraceSummary b = store.traceSummary(TRACE_B).orElseThrow();
        assertThat(b.operation()).contains("POST /api/transfer");
        assertThat(b.startTimestamp()).isEqualTo(at(200));
        assertThat(b.durationMs()).isEqualTo(120.0);
        assertThat(store.traceSummaries(TraceQuery.page(1, 10)).traces()).containsExactly(b, a);
    }

    @Test
    void theRootIsTheEarliestParentlessEventWhateverTheArrivalOrder() {
        Event child = TestEvents.functionCall(uuid(1), TRACE_A, Optional.of(uuid(2)), at(5), "api", "child");
        Event root = TestEvents.functionCall(uuid(2), TRACE_A, Optional.empty(), at(10), "api", "checkout");
        Event laterRoot = TestEvents.functionCall(uuid(3), TRACE_A, Optional.empty(), at(20), "api", "retry");
        store.write(List.of(child));
        assertThat(store.traceSummary(TRACE_A).orElseThrow().operation()).isEmpty();
        store.write(List.of(laterRoot));
        store.write(List.of(root));
        assertThat(store.traceSummary(TRACE_A).orElseThrow().operation()).contains("checkout");
        store.write(List.of(TestEvents.functionCall(uuid(4), TRACE_A, Optional.empty(), at(30), "api", "late")));
        assertThat(store.traceSummary(TRACE_A).orElseThrow().operation()).contains("checkout");
    }

    @Test
    void traceSummariesAreFilteredByOperationDurationStartAndIdPrefix() {
        UUID slowTransfer = UUID.fromString("aaaa0001-0000-4000-8000-000000000001");
        UUID fastTransfer = UUID.fromString("aaaa0002-0000-4000-8000-000000000002");
        UUID balance = UUID.fromString("bbbb0003-0000-4000-8000-000000000003");
        store.write(request(slowTransfer, 10, "POST", "/api/transfer", 1_000, 400, "bank"));
        store.write(request(fastTransfer, 20, "POST", "/api/transfer", 2_000, 40, "bank"));
        store.write(request(balance, 30, "GET", "http://bank/api/balance/alice", 3_000, 60, "ledger"));

        assertThat(ids(TraceQuery.page(1, 10).withOperation("transfer")))
                .containsExactly(fastTransfer, slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withOperation("get /API"))).containsExactly(balance);
        assertThat(ids(TraceQuery.page(1, 10).withOperation("nothing"))).isEmpty();
        // LIKE's wildcards and escape character are text like any other
        assertThat(ids(TraceQuery.page(1, 10).withOperation("api_transfer"))).isEmpty();
        assertThat(ids(TraceQuery.page(1, 10).withOperation("%"))).isEmpty();
        assertThat(ids(TraceQuery.page(1, 10).withOperation("\\"))).isEmpty();
        assertThat(ids(TraceQuery.page(1, 10).withOperation("/api/"))).containsExactly(balance, fastTransfer,
                slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withDurationMs(java.util.OptionalLong.of(60),
                java.util.OptionalLong.empty()))).containsExactly(balance, slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withDurationMs(java.util.OptionalLong.of(41),
                java.util.OptionalLong.of(399)))).containsExactly(balance);
        assertThat(ids(TraceQuery.page(1, 10).withDurationMs(java.util.OptionalLong.of(400),
                java.util.OptionalLong.of(400)))).containsExactly(slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withStartedBetween(Optional.of(at(2_000)), Optional.empty())))
                .containsExactly(balance, fastTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withStartedBetween(Optional.of(at(1_500)), Optional.of(at(2_500)))))
                .containsExactly(fastTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withIdPrefix("aaaa"))).containsExactly(fastTransfer, slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withIdPrefix("aaaa0001-"))).containsExactly(slowTransfer);
        assertThat(ids(TraceQuery.page(1, 10).withIdPrefix(balance.toString()))).containsExactly(balance);
        assertThat(ids(TraceQuery.page(1, 10).withIdPrefix("aaaa-"))).isEmpty();
        assertThat(ids(TraceQuery.page(1, 10).withIdPrefix("c"))).isEmpty();
        TracePage combined = store.traceSummaries(TraceQuery.page(1, 1).withOperation("transfer")
                .withService("bank").withIdPrefix("aaaa"));
        assertThat(combined.totalTraces()).isEqualTo(2);
        assertThat(combined.traces()).extracting(TraceSummary::traceId).containsExactly(fastTransfer);
    }

    private List<UUID> ids(TraceQuery q) {
        return store.traceSummaries(q).traces().stream().map(TraceSummary::traceId).toList();
    }

    @Test
    void summaryTiesAreBrokenByTraceId() {
        store.write(List.of(call(uuid(1), TRACE_C, 10), call(uuid(2), TRACE_A, 10), call(uuid(3), TRACE_B, 10)));

        assertThat(store.traceSummaries(TraceQuery.page(1, 10)).traces()).extracting(TraceSummary::traceId)
                .containsExactly(TRACE_A, TRACE_B, TRACE_C);
    }

    @Test
    void spansTakeFirstAndLastEventFromTimestampsWhateverTheArrivalOrder() {
        Event mid = inSpan(call(uuid(1), TRACE_A, 50), "pod-a", "span-1", Optional.empty());
        Event last = inSpan(call(uuid(2), TRACE_A, 90), "pod-a", "span-1", Optional.empty());
        Event first = inSpan(call(uuid(3), TRACE_A, 10), "pod-a", "span-1", Optional.empty());

        store.write(List.of(mid, last));
        store.write(List.of(first));

        assertThat(store.span("span-1")).contains(
                new DistributedSpan(TRACE_A, "span-1", "api", "pod-a", at(10), Optional.of(at(90))));
    }

    @Test
    void spansWithinOneBatchTakeTheMinimumFirstEvent() {
        store.write(List.of(inSpan(call(uuid(1), TRACE_A, 50), "pod-a", "s", Optional.empty()),
                inSpan(call(uuid(2), TRACE_A, 20), "pod-a", "s", Optional.empty()),
                inSpan(call(uuid(3), TRACE_A, 30), "pod-a", "s", Optional.empty())));

        DistributedSpan s = store.span("s").orElseThrow();
        assertThat(s.firstEvent()).isEqualTo(at(20));
        assertThat(s.lastEvent()).contains(at(50));
        assertThat(store.spans(TRACE_A)).containsExactly(s);
    }

    @Test
    void oneEdgePerSpanPairAndTheFirstWriterNamesIt() {
        Event upstream = withService(inSpan(call(uuid(1), TRACE_A, 0), "pod-a", "up", Optional.empty()), "web");
        Event request = new Event(uuid(2), TRACE_A, Optional.empty(), at(5),
                new EventKind.HttpRequest("GET", "http://b/x", Map.of(), Optional.empty()),
                TestEvents.meta("t", "billing"), VectorClock.empty(), List.of());
        Event requestInSpan = inSpan(request, "pod-b", "down", Optional.of("up"));
        Event laterCall = inSpan(withService(call(uuid(3), TRACE_A, 7), "billing"), "pod-b", "down",
                Optional.of("up"));

        store.write(List.of(upstream, requestInSpan));
        store.write(List.of(laterCall));

        assertThat(store.edges(TRACE_A)).containsExactly(
                new DistributedEdge("up", "down", EdgeLinkType.HttpCall, uuid(2), at(5)));
        assertThat(store.allEdges()).hasSize(1);
        assertThat(store.serviceCalls()).containsExactly(
                new ServiceCall("web", "billing", EdgeLinkType.HttpCall, 1, 1));
    }

    @Test
    void edgesAreVisibleFromBothTracesWhenSpansBelongToDifferentTraces() {
        store.write(List.of(inSpan(call(uuid(1), TRACE_A, 0), "i", "up", Optional.empty())));
        store.write(List.of(withService(inSpan(call(uuid(2), TRACE_B, 3), "i", "down", Optional.of("up")), "b")));

        DistributedEdge edge = new DistributedEdge("up", "down", EdgeLinkType.Custom, uuid(2), at(3));
        assertThat(store.edges(TRACE_A)).containsExactly(edge);
        assertThat(store.edges(TRACE_B)).containsExactly(edge);
        assertThat(store.serviceCalls()).containsExactly(new ServiceCall("api", "b", EdgeLinkType.Custom, 1, 1));
    }

    @Test
    void edgesWhoseUpstreamSpanIsUnknownAreKeptButNotCountedAsServiceCalls() {
        store.write(List.of(inSpan(call(uuid(2), TRACE_B, 3), "i", "down", Optional.of("never-seen"))));

        assertThat(store.edges(TRACE_B)).hasSize(1);
        assertThat(store.serviceCalls()).isEmpty();

        store.write(List.of(withService(inSpan(call(uuid(1), TRACE_A, 0), "i", "never-seen", Optional.empty()),
                "web")));
        assertThat(store.serviceCalls()).containsExactly(new ServiceCall("web", "api", EdgeLinkType.Custom, 1, 1));
    }

    @Test
    void traceLinksJoinDifferentTracesWhoseSpansAreBothKnown() {
        store.write(List.of(inSpan(call(uuid(1), TRACE_A, 0), "i", "up", Optional.empty()),
                inSpan(call(uuid(2), TRACE_A, 1), "i", "inner", Optional.of("up")))); // within one trace: no link
        store.write(List.of(inSpan(call(uuid(3), TRACE_C, 3), "i", "down", Optional.of("up")),
                inSpan(call(uuid(4), TRACE_C, 4), "i", "down", Optional.of("up")), // the same pair again
                inSpan(call(uuid(5), TRACE_B, 5), "i", "other", Optional.of("never-seen"))));

        assertThat(store.traceLinks()).containsExactly(new TraceLink(TRACE_A, TRACE_C));

        store.write(List.of(inSpan(call(uuid(6), TRACE_A, 6), "i", "never-seen", Optional.empty())));
        assertThat(store.traceLinks()).containsExactly(new TraceLink(TRACE_A, TRACE_B),
                new TraceLink(TRACE_A, TRACE_C));
    }

    @Test
    void accessFootprintsAggregateEachTracesAccessesToEachVariable() {
        Event inOtherInstance = stateChange(uuid(4), TRACE_A, 40, "t1", "balance", AccessType.Read, "1");
        inOtherInstance = inOtherInstance.withMetadata(inOtherInstance.metadata().withDistributed(Optional.of("pod-2"),
                Optional.empty(), Optional.empty()));
        store.write(List.of(
                withDuration(call(uuid(1), TRACE_A, 50), 45_000_000L), // the trace started at 5
                stateChange(uuid(2), TRACE_A, 10, "t1", "balance", AccessType.Read, "1"),
                stateChange(uuid(3), TRACE_A, 20, "t1", "balance", AccessType.Write, "2"),
                inOtherInstance, // the same thread id in another instance is another thread
                stateChange(uuid(5), TRACE_A, 30, "t2", "hits", AccessType.AtomicRMW, "1")));
        store.write(List.of(stateChange(uuid(6), TRACE_B, 7, "t9", "balance", AccessType.AtomicRead, "2")));

        assertThat(store.accessFootprints()).containsExactly(
                new AccessFootprint("balance", TRACE_A, java.util.EnumSet.of(AccessType.Read, AccessType.Write), 2,
                        at(5), at(50)),
                new AccessFootprint("balance", TRACE_B, java.util.EnumSet.of(AccessType.AtomicRead), 1, at(7),
                        at(7)),
                new AccessFootprint("hits", TRACE_A, java.util.EnumSet.of(AccessType.AtomicRMW), 1, at(5), at(50)));
        store.deleteTracesOlderThan(at(8)); // trace B
        assertThat(store.accessFootprints()).extracting(AccessFootprint::traceId).containsExactly(TRACE_A, TRACE_A);
    }

    @Test
    void variableIndexKeepsEveryStateChangeAcrossTraces() {
        Event w1 = stateChange(uuid(1), TRACE_A, 10, "t1", "balance", AccessType.Write, "900");
        Event r1 = stateChange(uuid(2), TRACE_B, 5, "t2", "balance", AccessType.Read, "1000");
        Event w2 = withService(stateChange(uuid(3), TRACE_B, 20, "t2", "balance", AccessType.AtomicRMW, "{\"v\":1}"),
                "worker");
        Event other = stateChange(uuid(4), TRACE_A, 1, "t1", "hits", AccessType.Read, "7");
        store.write(List.of(w1, r1, other, call(uuid(5), TRACE_C, 0)));
        store.write(List.of(w2));

        assertThat(store.variableAccesses("balance")).containsExactly(
                new VariableAccess("balance", uuid(2), TRACE_B, "t2", "api", AccessType.Read, at(5), "bank.java:5",
                        JsonValue.parse("1000")),
                new VariableAccess("balance", uuid(1), TRACE_A, "t1", "api", AccessType.Write, at(10),
                        "bank.java:10", JsonValue.parse("900")),
                new VariableAccess("balance", uuid(3), TRACE_B, "t2", "worker", AccessType.AtomicRMW, at(20),
                        "bank.java:20", JsonValue.parse("{\"v\":1}")));

        assertThat(store.variableSummaries()).containsExactly(
                new VariableSummary("balance", 3, 2, List.of(AccessType.Read, AccessType.Write, AccessType.AtomicRMW),
                        List.of(TRACE_A, TRACE_B), List.of("api", "worker")),
                new VariableSummary("hits", 1, 1, List.of(AccessType.Read), List.of(TRACE_A), List.of("api")));
    }

    @Test
    void baselinesCountOnlyNewEventsWithADuration() {
        Event a = withDuration(call(uuid(1), TRACE_A, 0), 2_000_000);
        Event b = withDuration(call(uuid(2), TRACE_B, 0), 4_000_000);
        Event noDuration = call(uuid(3), TRACE_A, 1);
        Event sc = withDuration(stateChange(uuid(4), TRACE_A, 2, "t", "x", AccessType.Write, "1"), 500_000);

        store.write(List.of(a, noDuration, sc));
        store.write(List.of(b, a));

        Map<String, DurationStats> all = store.baselines();
        assertThat(all).containsOnlyKeys("FunctionCall(handle)", "StateChange(x)");
        DurationStats calls = all.get("FunctionCall(handle)");
        assertThat(calls.count()).isEqualTo(2);
        assertThat(calls.mean()).isCloseTo(3.0, within(1e-9));
        assertThat(calls.minMs()).isCloseTo(2.0, within(1e-9));
        assertThat(calls.maxMs()).isCloseTo(4.0, within(1e-9));
        assertThat(calls.stdDev()).isCloseTo(1.0, within(1e-9));
        assertThat(all.get("StateChange(x)").sumMs()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void forEachTraceWithStateChangesVisitsEachSuchTraceOnceWithAllItsEvents() {
        store.write(List.of(call(uuid(1), TRACE_A, 0), stateChange(uuid(2), TRACE_A, 1, "t", "x",
                AccessType.Write, "1")));
        store.write(List.of(call(uuid(3), TRACE_B, 0)));
        store.write(List.of(stateChange(uuid(4), TRACE_C, 0, "t", "y", AccessType.Read, "1")));

        List<List<Event>> seen = Collections.synchronizedList(new ArrayList<>());
        store.forEachTraceWithStateChanges(seen::add);

        assertThat(seen).hasSize(2);
        assertThat(seen).anySatisfy(t -> assertThat(t).containsExactlyElementsOf(store.traceEvents(TRACE_A)));
        assertThat(seen).anySatisfy(t -> assertThat(t).containsExactlyElementsOf(store.traceEvents(TRACE_C)));
    }

    @Test
    void anExceptionThrownWhileVisitingTracesReachesTheCallerUnchanged() {
        store.write(List.of(stateChange(uuid(1), TRACE_A, 0, "t", "x", AccessType.Write, "1")));
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> store.forEachTraceWithStateChanges(t -> {
            throw boom;
        })).isSameAs(boom);
        assertThatThrownBy(() -> store.forEachTrace(List.of(TRACE_A), t -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(store.counts().events()).isEqualTo(1); // the store is still usable
    }

    @Test
    void forEachTraceSkipsUnknownTraces() {
        store.write(List.of(call(uuid(1), TRACE_A, 0), call(uuid(2), TRACE_B, 0)));

        List<UUID> seen = new ArrayList<>();
        store.forEachTrace(List.of(TRACE_B, TRACE_C), events -> seen.add(events.get(0).traceId()));

        assertThat(seen).containsExactly(TRACE_B);
    }

    @Test
    void servicesAreCountedFromEvents() {
        store.write(List.of(call(uuid(1), TRACE_A, 0), withService(call(uuid(2), TRACE_A, 5), "db"),
                call(uuid(3), TRACE_B, 9), call(uuid(4), TRACE_B, 3)));

        assertThat(store.services()).containsExactly(
                new ServiceSummary("api", 3, 2, at(9)),
                new ServiceSummary("db", 1, 1, at(5)));
    }

    @Test
    void countsReportEventsAndTraces() {
        store.write(List.of(call(uuid(1), TRACE_A, 0), call(uuid(2), TRACE_A, 1), call(uuid(3), TRACE_B, 0)));

        assertThat(store.counts()).isEqualTo(new StoreCounts(3, 2));
    }

    @Test
    void retentionDeletesTracesOlderThanTheCutoffWithTheirReadModelsButKeepsBaselines() {
        store.write(List.of(withDuration(call(uuid(1), TRACE_A, 0), 1_000_000),
                stateChange(uuid(2), TRACE_A, 10, "t", "x", AccessType.Write, "1"),
                inSpan(call(uuid(3), TRACE_A, 20), "i", "span-a", Optional.empty())));
        store.write(List.of(stateChange(uuid(4), TRACE_B, 100, "t", "x", AccessType.Write, "2"),
                inSpan(call(uuid(5), TRACE_B, 110), "i", "span-b", Optional.of("span-a"))));

        RetentionResult r = store.deleteTracesOlderThan(at(50));

        assertThat(r).isEqualTo(new RetentionResult(1, 3));
        assertThat(store.traceEvents(TRACE_A)).isEmpty();
        assertThat(store.event(uuid(1))).isEmpty();
        assertThat(store.counts()).isEqualTo(new StoreCounts(2, 1));
        assertThat(store.traceSummaries(TraceQuery.page(1, 10)).traces()).extracting(TraceSummary::traceId)
                .containsExactly(TRACE_B);
        assertThat(store.variableAccesses("x")).extracting(VariableAccess::traceId).containsExactly(TRACE_B);
        assertThat(store.span("span-a")).isEmpty();
        assertThat(store.span("span-b")).isPresent();
        assertThat(store.edges(TRACE_B)).hasSize(1); // its downstream span is still there
        assertThat(store.baseline("FunctionCall(handle)")).isPresent();
        assertThat(store.deleteTracesOlderThan(at(50))).isEqualTo(RetentionResult.NONE);
    }

    @Test
    void retentionByCapDeletesOldestTracesFirst() {
        store.write(List.of(call(uuid(1), TRACE_A, 10), call(uuid(2), TRACE_A, 11)));
        store.write(List.of(call(uuid(3), TRACE_B, 30)));
        store.write(List.of(call(uuid(4), TRACE_C, 20), call(uuid(5), TRACE_C, 21)));

        RetentionResult r = store.deleteOldestTracesBeyond(3);

        assertThat(r).isEqualTo(new RetentionResult(1, 2));
        assertThat(store.counts()).isEqualTo(new StoreCounts(3, 2));
        assertThat(store.traceEvents(TRACE_A)).isEmpty();
        // A deleted event may be written again: it is new now.
        assertThat(store.write(List.of(call(uuid(1), TRACE_A, 10))).inserted()).isEqualTo(1);
    }

    @Test
    void clearDeletesEverything() {
        store.write(List.of(withDuration(stateChange(uuid(1), TRACE_A, 0, "t", "x", AccessType.Write, "1"), 5),
                inSpan(call(uuid(2), TRACE_A, 1), "i", "s", Optional.of("u"))));

        store.clear();

        assertThat(store.counts()).isEqualTo(new StoreCounts(0, 0));
        assertThat(store.baselines()).isEmpty();
        assertThat(store.variableSummaries()).isEmpty();
        assertThat(store.allEdges()).isEmpty();
        assertThat(store.span("s")).isEmpty();
        assertThat(store.write(List.of(call(uuid(1), TRACE_A, 0))).inserted()).isEqualTo(1);
    }

    @Test
    void healthIsReportedWhileOpen() {
        StoreHealth h = store.health();

        assertThat(h.healthy()).isTrue();
        assertThat(h.backend()).isEqualTo(store.backendName());
    }

    @Test
    void concurrentWritersLoseNoUpdates() throws Exception {
        int writers = 4;
        int traces = 20;
        int eventsPerWriter = 400;
        // Every writer writes an overlapping half of the same ids, shuffled, in small batches.
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < writers * eventsPerWriter / 2; i++) {
            Event e = withDuration(i % 5 == 0
                    ? stateChange(uuid(10_000 + i), uuid(0x100 + i % traces), i, "t" + i % 3, "v" + i % 4,
                    AccessType.Write, Integer.toString(i))
                    : call(uuid(10_000 + i), uuid(0x100 + i % traces), i), 1_000_000);
            all.add(e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> inserted = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int seed = w;
            inserted.add(pool.submit(() -> {
                List<Event> mine = new ArrayList<>(all.subList(
                        (seed % 2) * all.size() / 4, (seed % 2) * all.size() / 4 + all.size() * 3 / 4));
                Collections.shuffle(mine, new Random(seed));
                start.await();
                int n = 0;
                for (int i = 0; i < mine.size(); i += 25) {
                    n += store.write(mine.subList(i, Math.min(mine.size(), i + 25))).inserted();
                }
                return n;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : inserted) {
            total += f.get();
        }
        pool.shutdown();

        assertThat(total).isEqualTo(all.size());
        assertThat(store.counts()).isEqualTo(new StoreCounts(all.size(), traces));
        long summed = 0;
        for (TraceSummary s : store.traceSummaries(TraceQuery.page(1, 100)).traces()) {
            summed += s.eventCount();
        }
        assertThat(summed).isEqualTo(all.size());
        assertThat(store.baseline("FunctionCall(handle)").orElseThrow().count()).isEqualTo(all.size() * 4 / 5);
        long accesses = store.variableSummaries().stream().mapToLong(VariableSummary::accessCount).sum();
        assertThat(accesses).isEqualTo(all.size() / 5);
    }
}
