package dev.raceway.benchmarks.sdk;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds per tracked event on the SDK's hot path — context lookup, event build, clock tick, enqueue — with
 * the network replaced by a {@link NoopTransport}, next to its ceiling: the same {@link Event} built directly
 * ({@link #buildEventAlone}). Only the application thread's work is measured: the batch size is the queue's
 * capacity, so the flusher sleeps while calls are measured, and the queue is flushed between invocations (not
 * measured) once half of it is in use — encoding and the background threads' GC work are not in the number.
 *
 * <p>{@link #trackStateChange} is the tracking API without location capture; {@link #trackKind} is what the
 * agent does per access (it builds the kind, with the location from the class file, and calls
 * {@code track(kind)}); {@link #outsideContext} is the no-op. Each invocation makes {@value #CALLS} calls; no
 * event is dropped (checked). Run with {@code -prof gc} for bytes allocated per event (that figure includes the
 * unmeasured flushes' encoding).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SdkHotPathBenchmark.CALLS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SdkHotPathBenchmark {
    static final int CALLS = 1000;
    static final int QUEUE = 10_000;

    /** A client on the no-op transport and a context current on the benchmark thread. */
    @State(Scope.Thread)
    public static class Tracked {
        RacewayClient client;
        RacewayContext context;
        io.opentelemetry.context.Scope scope;

        @Setup(Level.Trial)
        public void start() {
            client = RacewayClient.builder("http://127.0.0.1:1", "bench").instanceId("bench-1")
                    .transport(NoopTransport.factory()).captureLocation(false).batchSize(QUEUE)
                    .queueCapacity(QUEUE).maxBatchBytes(Integer.MAX_VALUE).flushInterval(Duration.ofSeconds(600))
                    .build();
            context = client.newTrace();
            scope = context.makeCurrent();
        }

        @Setup(Level.Invocation)
        public void drain() {
            QueueGuard.drainWhenHalfFull(client, QUEUE);
        }

        @TearDown(Level.Trial)
        public void stop() {
            scope.close();
            client.close();
            QueueGuard.requireNothingLost(client);
        }
    }

    @Benchmark
    public void trackStateChange(Tracked t) {
        stateChanges(t.client);
    }

    @Benchmark
    public void trackKind(Tracked t) {
        kinds(t.client);
    }

    static void stateChanges(RacewayClient c) {
        for (int i = 0; i < CALLS; i++) {
            c.trackStateChange("account.balance", i, i + 1, AccessType.Write);
        }
    }

    static void kinds(RacewayClient c) {
        for (int i = 0; i < CALLS; i++) {
            c.track(new EventKind.StateChange("Account#17.balance", Optional.empty(),
                    JsonValue.ofCompactJson(Integer.toString(i)), "Account.java:42", AccessType.Write));
        }
    }

    /** No context on the thread: the no-op every tracking call outside a request is. */
    @State(Scope.Thread)
    public static class Untracked {
        RacewayClient client;

        @Setup(Level.Trial)
        public void start() {
            client = RacewayClient.builder("http://127.0.0.1:1", "bench").transport(NoopTransport.factory())
                    .build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
        }
    }

    @Benchmark
    public void outsideContext(Untracked t) {
        stateChanges(t.client);
    }

    /** The ceiling's inputs: what the client holds already built. */
    @State(Scope.Thread)
    public static class Ceiling {
        final UUID traceId = UUID.randomUUID();
        final Map<String, String> tags = Map.of("sdk_language", "java");
        final Optional<String> instance = Optional.of("bench-1");
        final Optional<String> span = Optional.of("3f9a1c0d5e7b2a46");
        VectorClock clock = VectorClock.of(List.of(new ClockEntry("bench#bench-1/java-1-0000abcd", 0)));
        UUID last = UUID.randomUUID();
    }

    /** The ceiling: the same event built directly, with the same ids, timestamp, clock step and values. */
    @Benchmark
    public void buildEventAlone(Ceiling s, Blackhole bh) {
        for (int i = 0; i < CALLS; i++) {
            bh.consume(ceilingEvent(s, i));
        }
    }

    static Event ceilingEvent(Ceiling s, int i) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        UUID id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L,
                (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
        s.clock = s.clock.increment("bench#bench-1/java-1-0000abcd");
        EventKind kind = new EventKind.StateChange("account.balance",
                Optional.of(JsonValue.ofCompactJson(Integer.toString(i))),
                JsonValue.ofCompactJson(Integer.toString(i + 1)), "unknown", AccessType.Write);
        EventMetadata md = new EventMetadata("java-1-0000abcd", 1, "bench", "development", s.tags,
                OptionalLong.empty(), s.instance, s.span, Optional.empty());
        Event e = new Event(id, s.traceId, Optional.of(s.last), Instant.now(), kind, md, s.clock, List.of());
        s.last = id;
        return e;
    }
}
