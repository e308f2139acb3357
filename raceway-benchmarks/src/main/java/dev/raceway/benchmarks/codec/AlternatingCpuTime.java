package dev.raceway.benchmarks.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Two pieces of work on one payload timed in thread CPU time, in short alternating slices, so that both see the
 * same machine conditions; prints the fastest, p25 and median slice of each and their ratio. On a shared two-core
 * machine JMH's wall-clock scores varied more than the differences measured; CPU time does not count the time the
 * thread waits for a core.
 */
final class AlternatingCpuTime {
    /** Runs per slice. */
    static final int PER_SLICE = 10;
    private static final int WARM_UP_SLICES = 100;

    /** One run of the work; returns something derived from its result, so that it is not optimised away. */
    interface Work {
        long run() throws Exception;
    }

    private AlternatingCpuTime() {
    }

    /** @param eventsPerRun events each run handles (the rates are in events per second) */
    static void compare(int slices, int eventsPerRun, String measured, Work work, String ceiling, Work ceilingWork)
            throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long[] a = new long[slices];
        long[] b = new long[slices];
        for (int s = -WARM_UP_SLICES; s < slices; s++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_SLICE; i++) {
                sink += work.run();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_SLICE; i++) {
                sink += ceilingWork.run();
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (s >= 0) {
                a[s] = t1 - t0;
                b[s] = t2 - t1;
            }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        long events = (long) PER_SLICE * eventsPerRun;
        System.out.printf("%d slices of %d batches x %d events each, alternating; thread CPU time%n", slices, PER_SLICE,
                eventsPerRun);
        // Interference (a neighbour's cache traffic, or steal time, which a virtual machine counts as CPU time)
        // only ever adds time: the fastest slices are the code's own cost, the median shows the spread.
        for (double q : new double[] {0, 0.25, 0.5}) {
            int i = (int) (q * (slices - 1));
            double x = events / (a[i] / 1e9);
            double y = events / (b[i] / 1e9);
            System.out.printf("%-8s %s %,10.0f events/s   %s %,10.0f events/s   ratio %3.0f %%%n",
                    q == 0 ? "fastest" : q == 0.25 ? "p25" : "median", measured, x, ceiling, y, 100 * x / y);
        }
        if (sink == 42) {
            System.out.println(); // keeps the work observable
        }
    }
}
