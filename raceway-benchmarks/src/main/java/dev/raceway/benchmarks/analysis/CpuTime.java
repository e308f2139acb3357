package dev.raceway.benchmarks.analysis;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * CPU time of the benchmark thread per operation, printed after each iteration. On a shared, overloaded machine
 * wall-clock scores mostly measure the neighbours; the benchmark thread's CPU time measures the code (the
 * analyses are single-threaded).
 */
@State(Scope.Thread)
public class CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private long nanos;
    private long ops;

    static long now() {
        return MX.getCurrentThreadCpuTime();
    }

    void record(long startNanos) {
        nanos += now() - startNanos;
        ops++;
    }

    @TearDown(Level.Iteration)
    public void print(BenchmarkParams params) {
        if (ops > 0) {
            System.out.printf(Locale.ROOT, "%n    [cpu] %s %s: %.1f ms/op CPU over %d ops%n",
                    params.getBenchmark().replaceFirst(".*\\.", ""), params.getParamsKeys().isEmpty() ? ""
                            : params.getParamsKeys().stream().map(k -> k + "=" + params.getParam(k))
                            .reduce((a, b) -> a + "," + b).orElse(""), nanos / 1e6 / ops, ops);
        }
        nanos = 0;
        ops = 0;
    }
}
