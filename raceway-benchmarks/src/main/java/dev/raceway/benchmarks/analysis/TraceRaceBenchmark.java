package dev.raceway.benchmarks.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-trace race detection (happens-before index + exact race counting) on one large trace. Targets: 1M events
 * ≤ 2 s; time(1M)/time(100K) ≤ 12. {@code ceilingGroupByVariable} is the floor in the same run: de-duplicating
 * the same events by id and grouping their accesses by variable, which any analysis must at least do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class TraceRaceBenchmark {
    @Param({"100000", "1000000"})
    public int events;

    @Param({"16"})
    public int threads;

    private List<Event> trace;

    @Setup(Level.Trial)
    public void setUp() {
        trace = SyntheticTraces.bigTrace(events, threads, 10_000, 42);
    }

    @Benchmark
    public long detectRaces(CpuTime cpu) {
        long t0 = CpuTime.now();
        long pairs = TraceRaces.analyze(CausalityIndex.of(trace)).pairCount();
        cpu.record(t0);
        return pairs;
    }

    @Benchmark
    public int ceilingGroupByVariable(CpuTime cpu) {
        long t0 = CpuTime.now();
        Map<UUID, Event> byId = new HashMap<>(trace.size() * 2);
        for (Event e : trace) {
            byId.putIfAbsent(e.id(), e);
        }
        Map<String, List<Event>> byVariable = new HashMap<>();
        for (Event e : byId.values()) {
            if (e.kind() instanceof EventKind.StateChange sc) {
                byVariable.computeIfAbsent(sc.variable(), k -> new ArrayList<>()).add(e);
            }
        }
        cpu.record(t0);
        return byVariable.size();
    }
}
