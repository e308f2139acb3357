package dev.raceway.benchmarks.agent;

import dev.raceway.benchmarks.agent.workload.Tally;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@link Tally#bump()} (a field read and a field write) per op; {@link AgentOverhead} runs it without and with
 * the agent, and the difference per access is the cost of the owner-thread fast path (issue #15's (d)).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AgentFieldAccessBenchmark {
    private Tally tally;

    @Setup
    public void setUp() {
        tally = new Tally();
    }

    @Benchmark
    public long bump() {
        return tally.bump();
    }
}
