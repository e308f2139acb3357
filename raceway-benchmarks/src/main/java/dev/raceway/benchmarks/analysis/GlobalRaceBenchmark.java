package dev.raceway.benchmarks.analysis;

import dev.raceway.core.causality.GlobalRaces;
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
 * Global (cross-trace) race detection over 1,000,000 state changes in 10,000 request traces, fed trace by trace as
 * storage would stream them: requests start 1 ms apart on one service without instance ids, so with the default
 * 50 ms clock skew each overlaps about a hundred others (the real-time window sweep does real work), and distinct
 * races are counted. Target ≤ 1 s CPU. {@code ceilingGroupByVariable} is the floor in the same run: walking the same
 * traces, de-duplicating each by id and grouping every access by variable.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class GlobalRaceBenchmark {
    @Param({"10000"})
    public int traces;

    @Param({"100"})
    public int stateChangesPerTrace;

    @Param({"1000"})
    public int variables;

    private List<List<Event>> requests;

    @Setup(Level.Trial)
    public void setUp() {
        requests = SyntheticTraces.requests(traces, stateChangesPerTrace, variables, 7);
    }

    @Benchmark
    public long detectGlobalRaces(CpuTime cpu) {
        long t0 = CpuTime.now();
        long pairs = GlobalRaces.analyze(requests, List.of()).pairCount();
        cpu.record(t0);
        return pairs;
    }

    @Benchmark
    public int ceilingGroupByVariable(CpuTime cpu) {
        long t0 = CpuTime.now();
        Map<String, List<Event>> byVariable = new HashMap<>();
        for (List<Event> trace : requests) {
            Map<UUID, Event> byId = new HashMap<>(trace.size() * 2);
            for (Event e : trace) {
                byId.putIfAbsent(e.id(), e);
            }
            for (Event e : byId.values()) {
                if (e.kind() instanceof EventKind.StateChange sc) {
                    byVariable.computeIfAbsent(sc.variable(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        cpu.record(t0);
        return byVariable.size();
    }
}
