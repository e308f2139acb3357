package dev.raceway.server.api;

import static dev.raceway.storage.TestEvents.at;
import static dev.raceway.storage.TestEvents.inSpan;
import static dev.raceway.storage.TestEvents.meta;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.raceway.server.config.FeatureFlags;

import dev.raceway.core.causality.CausalityOptions;

import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.memory.MemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cheap {@code has_races} answer is the full global analysis' answer. */
class RacingTracesTest {
    private static final Duration DEFAULT_SKEW = CausalityOptions.DEFAULT.clockSkew();

    private static final String[] VARIABLES = {"balance", "hits", "config", "queue"};

    /** The answer before the candidates: the global analysis of every trace with state changes. */
    private static Set<UUID> byFullAnalysis(EventStore store) {
        GlobalRaces.Builder b = GlobalRaces.builder(store.allEdges()).maxDetails(RacingTraces.MAX_PAIRS)
                .examplesPerVariable(1);
        store.forEachTraceWithStateChanges(b::addTrace);
        GlobalRaceReport r = b.build();
        Set<UUID> racing = new HashSet<>();
        for (RacePair p : r.details()) {
            racing.add(p.first().traceId());
            racing.add(p.second().traceId());
        }
        return racing;
    }

    @Test
    void racingTracesAreThoseTheFullAnalysisFindsOnRandomWorkloads() {
        int racingSeen = 0;
        int calmSeen = 0;
        for (long seed = 1; seed <= 40; seed++) {
            EventStore store = new MemoryEventStore(new MemoryStoreConfig(1_000_000));
            Random random = new Random(seed);
            List<UUID> traces = new ArrayList<>();
            int n = 4 + random.nextInt(12);
            for (int t = 0; t < n; t++) {
                UUID trace = new UUID(seed, t + 1);
                traces.add(trace);
                store.write(trace(random, trace, traces));
            }
            Set<UUID> expected = byFullAnalysis(store);
            assertThat(RacingTraces.of(store, true, DEFAULT_SKEW)).as("seed %d", seed).isEqualTo(expected);
            racingSeen += expected.size();
            calmSeen += n - expected.size();
        }
        // the workloads exercise both answers
        assertThat(racingSeen).isGreaterThan(20);
        assertThat(calmSeen).isGreaterThan(20);
    }

    @Test
    void withRaceDetectionOffNothingRaces() {
        EventStore store = new MemoryEventStore(new MemoryStoreConfig(1_000));
        UUID a = new UUID(0, 1);
        UUID b = new UUID(0, 2);
        store.write(List.of(access(a, 1, "t1", "balance", AccessType.Write, 0),
                access(b, 2, "t1", "balance", AccessType.Write, 1)));
        assertThat(RacingTraces.of(store, true, DEFAULT_SKEW)).containsExactlyInAnyOrder(a, b);
        assertThat(RacingTraces.of(store, false, DEFAULT_SKEW)).isEmpty();
    }

    /**
     * {@code has_races} reads the configured {@code clock_skew_ms}, as the global analysis does: two writes 30 ms
     * apart on different instances race under the default 50 ms of skew and not under 10 ms.
     */
    @Test
    void theConfiguredClockSkewDecides() {
        EventStore store = new MemoryEventStore(new MemoryStoreConfig(1_000));
        UUID a = new UUID(0, 1);
        UUID b = new UUID(0, 2);
        store.write(List.of(
                new Event(new UUID(1, 1), a, Optional.empty(), at(0), new EventKind.StateChange("balance",
                        Optional.empty(), JsonValue.parse("1"), "app.java:1", AccessType.Write), meta("t1", "api-1"),
                        VectorClock.empty(), List.of()),
                new Event(new UUID(2, 1), b, Optional.empty(), at(30), new EventKind.StateChange("balance",
                        Optional.empty(), JsonValue.parse("2"), "app.java:1", AccessType.Write), meta("t1", "api-2"),
                        VectorClock.empty(), List.of())));
        assertThat(RacingTraces.of(store, true, Duration.ofMillis(50))).containsExactlyInAnyOrder(a, b);
        assertThat(RacingTraces.of(store, true, Duration.ofMillis(10))).isEmpty();
        FeatureFlags tight = FeatureFlags.defaults();
        tight = new FeatureFlags(tight.raceDetection(), tight.anomalyDetection(), tight.distributedTracing(),
                Duration.ofMillis(10));
        assertThat(RacingTraces.of(store, tight)).isEmpty();
    }

    private static Event access(UUID trace, long id, String thread, String variable, AccessType type, long millis) {
        return new Event(new UUID(trace.getLeastSignificantBits(), id), trace, Optional.empty(), at(millis),
                new EventKind.StateChange(variable, Optional.empty(), JsonValue.parse("1"), "app.java:" + id, type),
                meta(thread, "api"), VectorClock.empty(), List.of());
    }

    /**
     * One trace: up to three threads, each a few accesses (sometimes under a lock) to a few shared variables, at a
     * random time, sometimes called from a span of an earlier trace.
     */
    private static List<Event> trace(Random random, UUID trace, List<UUID> earlier) {
        List<Event> out = new ArrayList<>();
        long start = random.nextInt(2_000);
        long id = 1;
        int threads = 1 + random.nextInt(3);
        Optional<String> upstream = earlier.size() > 1 && random.nextInt(5) == 0
                ? Optional.of("span-" + earlier.get(random.nextInt(earlier.size() - 1))) : Optional.empty();
        for (int th = 0; th < threads; th++) {
            String thread = "t" + th;
            long ts = start + random.nextInt(50);
            int accesses = 1 + random.nextInt(3);
            for (int k = 0; k < accesses; k++) {
                boolean locked = random.nextInt(3) == 0;
                if (locked) {
                    out.add(event(trace, id++, thread, ts++, new EventKind.LockAcquire("lock", "Mutex", "l")));
                }
                String variable = VARIABLES[random.nextInt(VARIABLES.length)];
                AccessType type = AccessType.values()[random.nextInt(AccessType.values().length)];
                out.add(event(trace, id++, thread, ts++, new EventKind.StateChange(variable, Optional.empty(),
                        JsonValue.parse("1"), "app.java:" + random.nextInt(4), type)));
                if (locked) {
                    out.add(event(trace, id++, thread, ts++, new EventKind.LockRelease("lock", "Mutex", "l")));
                }
                ts += random.nextInt(100);
            }
        }
        List<Event> inSpans = new ArrayList<>();
        for (Event e : out) {
            inSpans.add(inSpan(e, "pod", "span-" + trace, upstream));
        }
        return inSpans;
    }

    private static Event event(UUID trace, long id, String thread, long millis, EventKind kind) {
        return new Event(new UUID(trace.getLeastSignificantBits() | (trace.getMostSignificantBits() << 32), id),
                trace, Optional.empty(), at(millis), kind, meta(thread, "api"), VectorClock.empty(), List.of());
    }
}
