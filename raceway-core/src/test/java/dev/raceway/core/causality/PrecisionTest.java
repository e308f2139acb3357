package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.testing.Ev;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Issue 14: the race report names what a user would call a race, and never misses a real one. */
class PrecisionTest {
    private static final long HOUR = 3_600_000;

    private static Event access(Ev b, String variable, String location, AccessType type) {
        return b.kind(new EventKind.StateChange(variable, Optional.empty(), JsonValue.of(1), location, type));
    }

    /** A request on {@code instance} at {@code at} ms: read then write of {@code variable}, 2 ms apart. */
    static List<Event> readModifyWrite(int trace, String instance, long at, String variable) {
        String thread = "req-" + trace;
        Event root = Ev.in(trace).id(trace * 10L).service("bank").instance(instance).thread(thread).at(at)
                .httpRequest("POST", "/transfer");
        Event read = access(Ev.in(trace).id(trace * 10L + 1).parent(root).service("bank").instance(instance)
                .thread(thread).at(at + 1), variable, "Bank.java:10", AccessType.Read);
        Event write = access(Ev.in(trace).id(trace * 10L + 2).parent(read).service("bank").instance(instance)
                .thread(thread).at(at + 2), variable, "Bank.java:12", AccessType.Write);
        return List.of(root, read, write);
    }

    @Test
    void sequentialRequestsAnHourApartOnOneInstanceDoNotRace() {
        GlobalRaceReport r = GlobalRaces.analyze(List.of(readModifyWrite(1, "i1", 0, "alice"),
                readModifyWrite(2, "i1", HOUR, "alice")), List.of());
        assertThat(r.pairCount()).isZero();
        assertThat(r.distinctRaces()).isEmpty();
    }

    @Test
    void overlappingRequestsLoseAnUpdate() {
        GlobalRaceReport r = GlobalRaces.analyze(List.of(readModifyWrite(1, "i1", 0, "alice"),
                readModifyWrite(2, "i1", 1, "alice")), List.of());
        assertThat(r.criticalCount()).isEqualTo(1);
        assertThat(r.pairCount()).isEqualTo(3);
        assertThat(r.distinctRaces()).hasSize(2);
        DistinctRace lostUpdate = r.distinctRaces().get(0);
        assertThat(lostUpdate.severity()).isEqualTo(RaceSeverity.CRITICAL);
        assertThat(lostUpdate.locations()).containsExactly("Bank.java:12", "Bank.java:12");
        assertThat(lostUpdate.accesses()).containsExactly(AccessType.Write, AccessType.Write);
        assertThat(lostUpdate.occurrences()).isEqualTo(1);
        assertThat(lostUpdate.traces()).isEqualTo(2);
        assertThat(lostUpdate.variables()).containsExactly("alice");
        DistinctRace torn = r.distinctRaces().get(1);
        assertThat(torn.severity()).isEqualTo(RaceSeverity.WARNING);
        assertThat(torn.locations()).containsExactly("Bank.java:10", "Bank.java:12");
        assertThat(torn.occurrences()).isEqualTo(2);
    }

    @Test
    void distinctRacesGroupManyPairsOfTheSameTwoLines() {
        List<List<Event>> traces = new ArrayList<>();
        for (int t = 1; t <= 20; t++) {
            traces.add(readModifyWrite(t, "i1", t % 2, "account-" + (t % 7)));
        }
        GlobalRaceReport r = GlobalRaces.analyze(traces, List.of());
        assertThat(r.distinctRaces()).hasSize(2);
        assertThat(r.distinctRaces().stream().mapToLong(DistinctRace::occurrences).sum()).isEqualTo(r.pairCount());
        assertThat(r.distinctRaces().get(0).variables()).hasSize(5).isSorted();
    }

    @Test
    void clockSkewDecidesAcrossInstancesOnly() {
        List<Event> a = readModifyWrite(1, "i1", 0, "alice");
        List<Event> b = readModifyWrite(2, "i2", 30, "alice"); // 28 ms after a ended, on another instance
        assertThat(GlobalRaces.analyze(List.of(a, b), List.of()).criticalCount()).isEqualTo(1);
        assertThat(GlobalRaces.builder().clockSkew(Duration.ofMillis(10)).addTrace(a).addTrace(b).build()
                .pairCount()).isZero();
        List<Event> sameInstance = readModifyWrite(3, "i1", 30, "alice");
        assertThat(GlobalRaces.analyze(List.of(a, sameInstance), List.of()).pairCount()).isZero();
    }

    @Test
    void aShortRequestInsideALongJobStillRaces() {
        // the job's last event is recorded at its end with a 10 s duration: its window starts 10 s earlier
        Event jobWrite = access(Ev.in(1).id(1).service("bank").instance("i1").thread("job").at(1000), "alice",
                "Job.java:5", AccessType.Write);
        Event jobEnd = Ev.in(1).id(2).parent(jobWrite).service("bank").instance("i1").thread("job").at(20_000)
                .durationMs(10_000).call("nightly");
        List<Event> request = readModifyWrite(2, "i1", 15_000, "alice");
        GlobalRaceReport r = GlobalRaces.analyze(List.of(List.of(jobWrite, jobEnd), request), List.of());
        assertThat(r.criticalCount()).isEqualTo(1);
        assertThat(r.pairCount()).isEqualTo(2);
    }

    /** The sweep against all pairs, on random windows, instances, durations and lock use. */
    @Property(tries = 200)
    void windowCountsMatchAllPairs(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int traces) {
        Random rnd = new Random(seed);
        List<List<Event>> all = new ArrayList<>();
        long skewMs = rnd.nextInt(3) * 20L;
        for (int t = 1; t <= traces; t++) {
            String instance = rnd.nextInt(4) == 0 ? null : "i" + rnd.nextInt(3);
            long at = rnd.nextInt(400);
            List<Event> events = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                Ev b = Ev.in(t).id(t * 100L + i).service("s").thread("t" + t).at(at + rnd.nextInt(60));
                if (instance != null) {
                    b.instance(instance);
                }
                if (rnd.nextInt(5) == 0) {
                    b.durationMs(rnd.nextInt(100));
                }
                AccessType type = rnd.nextBoolean() ? AccessType.Read : AccessType.Write;
                events.add(access(b, "v" + rnd.nextInt(2), "L" + rnd.nextInt(3), type));
            }
            all.add(events);
        }
        GlobalRaces.Builder builder = GlobalRaces.builder().clockSkew(Duration.ofMillis(skewMs)).maxDetails(0);
        all.forEach(builder::addTrace);
        GlobalRaceReport r = builder.build();
        long expected = 0;
        long expectedCritical = 0;
        long skew = skewMs * 1_000_000;
        for (int x = 0; x < all.size(); x++) {
            for (int y = x + 1; y < all.size(); y++) {
                if (!windowsOverlap(all.get(x), all.get(y), skew)) {
                    continue;
                }
                for (Event e : all.get(x)) {
                    for (Event f : all.get(y)) {
                        EventKind.StateChange a = (EventKind.StateChange) e.kind();
                        EventKind.StateChange b = (EventKind.StateChange) f.kind();
                        if (a.variable().equals(b.variable()) && (a.accessType().isWrite() || b.accessType().isWrite())) {
                            expected++;
                            if (a.accessType().isWrite() && b.accessType().isWrite()) {
                                expectedCritical++;
                            }
                        }
                    }
                }
            }
        }
        // each trace is one thread (program order): every racing pair is between traces
        assertThat(r.pairCount()).isEqualTo(expected);
        assertThat(r.criticalCount()).isEqualTo(expectedCritical);
        assertThat(r.distinctRaces().stream().mapToLong(DistinctRace::occurrences).sum()).isEqualTo(r.pairCount());
    }

    private static boolean windowsOverlap(List<Event> a, List<Event> b, long skew) {
        return !windowBefore(a, b, skew) && !windowBefore(b, a, skew);
    }

    private static boolean windowBefore(List<Event> a, List<Event> b, long skew) {
        long end = a.stream().mapToLong(RealTime::end).max().orElseThrow();
        long start = b.stream().mapToLong(RealTime::start).min().orElseThrow();
        String ia = oneInstance(a);
        String ib = oneInstance(b);
        return ia != null && ia.equals(ib) ? end < start : end < start - skew;
    }

    private static String oneInstance(List<Event> events) {
        String first = RealTime.instance(events.get(0));
        for (Event e : events) {
            String in = RealTime.instance(e);
            if (in == null || !in.equals(first)) {
                return null;
            }
        }
        return first;
    }

    // ---- within one trace: response-side causality ---------------------------------------------------------

    /**
     * Gateway span g (instance gw) writes order.status, calls inventory (span s1, instance inv) and, after it
     * returned, payment (span s2, instance pay), both writing order.status, then writes it again. One trace, as the
     * reference SDKs propagate it. {@code gapMs} is how long each hop waits after the previous one ended.
     */
    static List<Event> sequentialDownstream(long gapMs, boolean parallel) {
        List<Event> out = new ArrayList<>();
        long t = 0;
        Event g1 = access(Ev.in(1).id(1).service("gateway").instance("gw").span("g").thread("gw-1").at(t),
                "order.status", "Gateway.java:20", AccessType.Write);
        out.add(g1);
        long invStart = t + 1;
        Event inv = access(Ev.in(1).id(2).service("inventory").instance("inv").span("s1").upstream("g")
                .thread("inv-1").at(invStart), "order.status", "Inventory.java:7", AccessType.Write);
        out.add(inv);
        long payStart = parallel ? invStart : invStart + gapMs;
        Event pay = access(Ev.in(1).id(3).service("payment").instance("pay").span("s2").upstream("g")
                .thread("pay-1").at(payStart), "order.status", "Payment.java:9", AccessType.Write);
        out.add(pay);
        Event g2 = access(Ev.in(1).id(4).parent(g1).service("gateway").instance("gw").span("g").thread("gw-1")
                .at(payStart + gapMs), "order.status", "Gateway.java:31", AccessType.Write);
        out.add(g2);
        return out;
    }

    @Test
    void sequentialDownstreamCallsDoNotRace() {
        TraceRaceReport r = TraceRaces.analyze(CausalityIndex.of(sequentialDownstream(200, false)));
        assertThat(r.pairCount()).isZero();
    }

    @Test
    void downstreamCallsCloserThanTheSkewAreNotOrderedByTiming() {
        assertThat(TraceRaces.analyze(CausalityIndex.of(sequentialDownstream(10, false))).pairCount()).isPositive();
        assertThat(TraceRaces.analyze(CausalityIndex.of(sequentialDownstream(10, false), List.of(),
                CausalityOptions.DEFAULT.withClockSkew(Duration.ofMillis(5)))).pairCount()).isZero();
    }

    @Test
    void parallelCallsWhoseWorkOverlapsStillRace() {
        TraceRaceReport r = TraceRaces.analyze(CausalityIndex.of(sequentialDownstream(200, true)));
        assertThat(r.criticalCount()).isEqualTo(1); // inventory × payment; both before the gateway's last write
        assertThat(r.distinctRaces()).singleElement()
                .satisfies(d -> assertThat(d.locations()).containsExactly("Inventory.java:7", "Payment.java:9"));
    }

    @Test
    void twoParallelHandlersSharingAPerProcessClockStillLoseAnUpdate() {
        // Python-style: one service#instance component for every context of the callee process
        List<Event> events = new ArrayList<>();
        events.add(Ev.in(1).id(1).service("api").instance("a1").span("g").thread("py-1").at(0)
                .clock("api#a1", 1).httpRequest("POST", "/order"));
        long id = 2;
        for (int h = 0; h < 2; h++) {
            String span = "h" + h;
            String thread = "py-h" + h;
            Event read = access(Ev.in(1).id(id++).service("stock").instance("s1").span(span).upstream("g")
                    .thread(thread).at(5 + h).clock("api#a1", 1).clock("stock#s1", 1 + 2L * h), "stock", "stock.py:3",
                    AccessType.Read);
            Event write = access(Ev.in(1).id(id++).parent(read).service("stock").instance("s1").span(span)
                    .upstream("g").thread(thread).at(7 + h).clock("api#a1", 1).clock("stock#s1", 2 + 2L * h),
                    "stock", "stock.py:4", AccessType.Write);
            events.add(read);
            events.add(write);
        }
        TraceRaceReport r = TraceRaces.analyze(CausalityIndex.of(events));
        assertThat(r.criticalCount()).isEqualTo(1);
        assertThat(r.pairCount()).isEqualTo(3);
    }

    @Test
    void aSpanEdgeNeverContradictsTheVectors() {
        // the callee's read is stamped before every caller event, and the vectors say the caller's write came after
        // it: the span edge must not start at that write (which would order write → read and hide the race)
        Event calleeRead = access(Ev.in(1).id(1).service("b").instance("b1").span("s").upstream("u").thread("b-1")
                .at(0).clock("a#a1", 1).clock("b#b1", 1), "x", "B.java:1", AccessType.Read);
        Event callerWrite = access(Ev.in(1).id(2).service("a").instance("a1").span("u").thread("a-1").at(5)
                .clock("a#a1", 2).clock("b#b1", 1), "x", "A.java:1", AccessType.Write);
        CausalityIndex idx = CausalityIndex.of(List.of(calleeRead, callerWrite));
        assertThat(idx.spanLinks()).isEmpty();
        // per-process components confirm but never create order: the two stay concurrent and race
        assertThat(idx.concurrent(callerWrite, calleeRead)).isTrue();
        assertThat(TraceRaces.analyze(idx).warningCount()).isEqualTo(1);
        // with per-context components the vectors themselves order read → write
        Event read2 = access(Ev.in(1).id(1).service("b").instance("b1").span("s").upstream("u").thread("b-1")
                .at(0).clock("a#a1/a-1", 1).clock("b#b1/b-1", 1), "x", "B.java:1", AccessType.Read);
        Event write2 = access(Ev.in(1).id(2).service("a").instance("a1").span("u").thread("a-1").at(5)
                .clock("a#a1/a-1", 2).clock("b#b1/b-1", 1), "x", "A.java:1", AccessType.Write);
        assertThat(CausalityIndex.of(List.of(read2, write2)).happensBefore(read2, write2)).isTrue();
    }

    @Test
    void oneThreadIdInTwoServicesOfATraceIsTwoThreads() {
        // the Rust SDK's thread ids name OS threads of their own process: "ThreadId(7)" in the gateway and in
        // inventory are unrelated, so program order must not connect them
        Event gw = access(Ev.in(1).id(1).service("gateway").instance("g1").thread("ThreadId(7)").at(0), "stock",
                "gw.rs:3", AccessType.Write);
        Event inv = access(Ev.in(1).id(2).service("inventory").instance("i1").thread("ThreadId(7)").at(1), "stock",
                "inv.rs:9", AccessType.Write);
        Event gw2 = access(Ev.in(1).id(3).service("gateway").instance("g1").thread("ThreadId(7)").at(2), "stock",
                "gw.rs:4", AccessType.Read);
        CausalityIndex idx = CausalityIndex.of(List.of(gw, inv, gw2));
        assertThat(idx.concurrent(gw, inv)).isTrue();
        assertThat(idx.concurrent(inv, gw2)).isTrue();
        assertThat(idx.happensBefore(gw, gw2)).isTrue();
        assertThat(TraceRaces.analyze(idx).pairCount()).isEqualTo(2);
    }

    // ---- parent links over timestamps ----------------------------------------------------------------------

    /** TypeScript-style: each child stamped up to 1 ms before its parent, one thread. */
    static List<Event> earlyStampedChain(int n) {
        List<Event> out = new ArrayList<>();
        Event prev = null;
        for (int i = 0; i < n; i++) {
            Ev b = Ev.in(1).id(i + 1).service("web").thread("node-1").at(100 - i).durationMs(1);
            if (prev != null) {
                b.parent(prev);
            }
            prev = b.call("step" + i);
            out.add(prev);
        }
        return out;
    }

    @Test
    void parentLinksWinOverTimestampsInOrderAndCriticalPath() {
        List<Event> chain = earlyStampedChain(8);
        CausalityIndex idx = CausalityIndex.of(chain);
        assertThat(idx.topologicalOrder()).containsExactlyElementsOf(chain);
        assertThat(idx.events()).containsExactlyElementsOf(chain);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(idx.happensBefore(chain.get(i - 1), chain.get(i))).isTrue();
        }
        CriticalPath cp = CriticalPaths.of(idx).orElseThrow();
        assertThat(cp.path()).hasSize(8);
        assertThat(cp.path().get(0)).isEqualTo(chain.get(0));
    }
}
