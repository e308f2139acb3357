package dev.raceway.benchmarks.agent;

import dev.raceway.benchmarks.agent.workload.Particles;
import dev.raceway.benchmarks.agent.workload.Tally;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The agent's field tracking cost, side by side in one run: {@link AgentFieldLoopBenchmark} (c) and
 * {@link AgentFieldAccessBenchmark} (d) each in a JVM without the agent (the ceiling) and in one with it and the
 * workload's package tracked. Prints the loop's slowdown (target ≤ 5×) and the cost of one access on the
 * owner-thread fast path, measured directly (one read and one write per op) and as the loop's average.
 *
 * <pre>java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.agent.AgentOverhead \
 *     raceway-agent/target/raceway-agent.jar</pre>
 */
public final class AgentOverhead {
    private AgentOverhead() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "raceway-agent/target/raceway-agent.jar";
        if (!new File(jar).isFile()) {
            throw new IllegalArgumentException("no agent jar at " + jar
                    + " (build it with mvn -q -pl raceway-agent -am package -DskipTests)");
        }
        // Nothing listens on port 9: the few events the fast path lets through are dropped after failed sends.
        List<String> agent = List.of("-javaagent:" + jar, "-Draceway.endpoint=http://127.0.0.1:9",
                "-Draceway.packages=" + Particles.class.getPackageName());
        double without = measure(AgentFieldLoopBenchmark.class, List.of());
        double with = measure(AgentFieldLoopBenchmark.class, agent);
        double accessWithout = measure(AgentFieldAccessBenchmark.class, List.of());
        double accessWith = measure(AgentFieldAccessBenchmark.class, agent);
        int accesses = AgentFieldLoopBenchmark.PARTICLES * Particles.ACCESSES_PER_PARTICLE;
        System.out.printf("%nfield-heavy loop (%d field accesses per op), ns/op:%n", accesses);
        System.out.printf("  without the agent (ceiling)   %10.1f%n", without);
        System.out.printf("  with field tracking           %10.1f   %.2fx (target <= 5x)%n", with, with / without);
        System.out.printf("  owner fast path, per access   %10.2f ns (the loop's average)%n", (with - without) / accesses);
        System.out.printf("%none field read + one write per op (JMH), ns/op:%n");
        System.out.printf("  without the agent (ceiling)   %10.2f%n", accessWithout);
        System.out.printf("  with field tracking           %10.2f%n", accessWith);
        System.out.printf("  owner fast path, per access   %10.2f ns%n",
                (accessWith - accessWithout) / Tally.ACCESSES_PER_BUMP);
    }

    private static double measure(Class<?> benchmark, List<String> jvmArgs) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder().include(benchmark.getName())
                .forks(1).warmupIterations(5).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(TimeValue.seconds(2));
        List<String> all = new ArrayList<>(List.of("-Xmx512m"));
        all.addAll(jvmArgs);
        o.jvmArgsAppend(all.toArray(String[]::new));
        RunResult r = new Runner(o.build()).run().iterator().next();
        return r.getPrimaryResult().getScore();
    }
}
