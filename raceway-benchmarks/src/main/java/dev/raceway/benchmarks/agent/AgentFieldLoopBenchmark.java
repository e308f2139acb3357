package dev.raceway.benchmarks.agent;

import dev.raceway.benchmarks.agent.workload.Particles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One step of {@link Particles} (512 particles); {@link AgentOverhead} runs it in a JVM without and in one with the
 * agent. On its own it measures whichever JVM it is given.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AgentFieldLoopBenchmark {
    static final int PARTICLES = 512;
    private Particles particles;

    @Setup
    public void setUp() {
        particles = new Particles(PARTICLES);
    }

    @Benchmark
    public double step() {
        return particles.step();
    }
}
