package dev.raceway.benchmarks.sdk;

import dev.raceway.core.event.Event;
import dev.raceway.sdk.RacewayClient;
import java.io.IOException;
import java.time.Duration;
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
    /** {@link SdkHotPathBenchmark#stateChanges}'s calls per invocation: the calls measured here are those. */
    static final int CALLS = SdkHotPathBenchmark.CALLS;
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
            QueueGuard.drainWhenHalfFull(client, QUEUE);
        }

        @TearDown(Level.Trial)
        public void stop() {
            scope.close();
            client.close();
            sink.close();
            QueueGuard.requireNothingLost(client);
        }
    }

    @Benchmark
    public void trackStateChange(Tracked t) {
        SdkHotPathBenchmark.stateChanges(t.client);
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
        SdkHotPathBenchmark.stateChanges(t.client);
    }

    /** The ceiling: the same event built directly ({@link SdkHotPathBenchmark#ceilingEvent}). */
    @Benchmark
    public void buildEventAlone(SdkHotPathBenchmark.Ceiling s, Blackhole bh) {
        for (int i = 0; i < CALLS; i++) {
            bh.consume(SdkHotPathBenchmark.ceilingEvent(s, i));
        }
    }
}
