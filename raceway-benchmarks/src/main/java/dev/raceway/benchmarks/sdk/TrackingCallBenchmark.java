package dev.raceway.benchmarks.sdk;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayStats;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one tracking call costs the application thread, next to its ceiling: building the same {@link Event}
 * record alone (ids, timestamp, clock, kind, metadata — no context, no location, no queue).
 *
 * <p>Each invocation makes {@value #CALLS} calls inside a request context. The client's flusher sends to a local
 * discarding endpoint in the background (as in an application); when half the queue is in use, it is flushed
 * between invocations (not measured), so every call takes the normal enqueue path and none is dropped. Sample mode reports the distribution of the per-call cost (the average over one invocation); the
 * target is a median ≤ 1 µs without location capture.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TrackingCallBenchmark.CALLS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TrackingCallBenchmark {
    static final int CALLS = 1000;
    static final int QUEUE = 200_000;

    /** One client and a context current on the benchmark thread (thread-scoped: JMH sets it up on that thread). */
    @State(Scope.Thread)
    public static class Tracked {
        @Param({"false", "true"})
        public boolean captureLocation;

        DiscardingSink sink;
        RacewayClient client;
        io.opentelemetry.context.Scope scope;
        long dropped;

        @Setup(Level.Trial)
        public void start() throws IOException {
            sink = new DiscardingSink();
            client = RacewayClient.builder(sink.endpoint(), "bench").instanceId("bench-1")
                    .captureLocation(captureLocation).batchSize(CALLS).queueCapacity(QUEUE)
                    .flushInterval(Duration.ofSeconds(60)).build();
            scope = client.newTrace().makeCurrent();
        }

        /** Keeps the queue from ever filling: flushes (unmeasured) once half of it is in use. */
        @Setup(Level.Invocation)
        public void drain() {
            RacewayStats s = client.stats();
            if (s.queued() - s.sent() - s.failed() > QUEUE / 2 && !client.flush(Duration.ofSeconds(60))) {
                throw new IllegalStateException("flush timed out");
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            scope.close();
            client.close();
            sink.close();
            long d = client.stats().dropped() + client.stats().failed();
            if (d > 0) {
                throw new IllegalStateException(d + " events were dropped or failed: the measurement is invalid");
            }
        }
    }

    @Benchmark
    public void trackStateChange(Tracked t) {
        RacewayClient c = t.client;
        for (int i = 0; i < CALLS; i++) {
            c.trackStateChange("account.balance", i, i + 1, AccessType.Write);
        }
    }

    /** A tracking call outside any request context: the no-op path. */
    @State(Scope.Thread)
    public static class Untracked {
        DiscardingSink sink;
        RacewayClient client;

        @Setup(Level.Trial)
        public void start() throws IOException {
            sink = new DiscardingSink();
            client = RacewayClient.builder(sink.endpoint(), "bench").build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            sink.close();
        }
    }

    @Benchmark
    public void trackStateChangeOutsideContext(Untracked t) {
        RacewayClient c = t.client;
        for (int i = 0; i < CALLS; i++) {
            c.trackStateChange("account.balance", i, i + 1, AccessType.Write);
        }
    }

    /** The ceiling's inputs: what the client holds already built. */
    @State(Scope.Thread)
    public static class Ceiling {
        final UUID traceId = UUID.randomUUID();
        final Map<String, String> tags = Map.of("sdk_language", "java");
        final Optional<String> instance = Optional.of("bench-1");
        final Optional<String> span = Optional.of("3f9a1c0d5e7b2a46");
        VectorClock clock = VectorClock.of(List.of(new ClockEntry("bench#bench-1", 0)));
        UUID last = UUID.randomUUID();
    }

    /** The ceiling: the same event built directly, with the same ids, timestamp, clock step and value conversion. */
    @Benchmark
    public void buildEventAlone(Ceiling s, Blackhole bh) {
        for (int i = 0; i < CALLS; i++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            UUID id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L,
                    (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
            s.clock = s.clock.increment("bench#bench-1");
            EventKind kind = new EventKind.StateChange("account.balance",
                    Optional.of(JsonValue.ofCompactJson(Integer.toString(i))),
                    JsonValue.ofCompactJson(Integer.toString(i + 1)), "unknown", AccessType.Write);
            EventMetadata md = new EventMetadata("java-1-0000abcd", 1, "bench", "development", s.tags,
                    OptionalLong.empty(), s.instance, s.span, Optional.empty());
            Event e = new Event(id, s.traceId, Optional.of(s.last), Instant.now(), kind, md, s.clock, List.of());
            s.last = id;
            bh.consume(e);
        }
    }
}
