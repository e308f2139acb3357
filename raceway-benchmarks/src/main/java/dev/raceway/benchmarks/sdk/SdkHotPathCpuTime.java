package dev.raceway.benchmarks.sdk;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link SdkHotPathBenchmark}'s calls timed in thread CPU time, with the bytes the calling thread allocates: on a
 * shared two-core machine the JMH scores move more than the differences being measured, while CPU time does not
 * count the time the thread waits for a core, and allocated bytes do not move at all. Slices of
 * {@value SdkHotPathBenchmark#CALLS} calls of each kind alternate, so all see the same machine conditions; the
 * queue is flushed between slices (not measured) once half of it is in use.
 *
 * <p>{@code java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.sdk.SdkHotPathCpuTime
 * [slices=400]}
 */
public final class SdkHotPathCpuTime {
    private static final int WARM_UP_SLICES = 300;

    private SdkHotPathCpuTime() {
    }

    public static void main(String[] args) {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        SdkHotPathBenchmark.Tracked tracked = new SdkHotPathBenchmark.Tracked();
        tracked.start();
        tracked.scope.close(); // made current around its own slices only
        SdkHotPathBenchmark.Untracked untracked = new SdkHotPathBenchmark.Untracked();
        untracked.start();
        SdkHotPathBenchmark.Ceiling ceiling = new SdkHotPathBenchmark.Ceiling();
        String[] names = {"trackStateChange", "trackKind (agent)", "outsideContext", "buildEventAlone (ceiling)"};
        long[][] cpu = new long[names.length][slices];
        long[][] bytes = new long[names.length][slices];
        long sink = 0;
        for (int s = -WARM_UP_SLICES; s < slices; s++) {
            for (int k = 0; k < names.length; k++) {
                tracked.drain();
                long b0 = mx.getThreadAllocatedBytes(self);
                long t0 = mx.getCurrentThreadCpuTime();
                switch (k) {
                    case 0 -> {
                        try (io.opentelemetry.context.Scope in = tracked.context.makeCurrent()) {
                            SdkHotPathBenchmark.stateChanges(tracked.client);
                        }
                    }
                    case 1 -> {
                        try (io.opentelemetry.context.Scope in = tracked.context.makeCurrent()) {
                            SdkHotPathBenchmark.kinds(tracked.client);
                        }
                    }
                    case 2 -> SdkHotPathBenchmark.stateChanges(untracked.client);
                    default -> {
                        for (int i = 0; i < SdkHotPathBenchmark.CALLS; i++) {
                            sink += SdkHotPathBenchmark.ceilingEvent(ceiling, i).id().getLeastSignificantBits();
                        }
                    }
                }
                long t1 = mx.getCurrentThreadCpuTime();
                long b1 = mx.getThreadAllocatedBytes(self);
                if (s >= 0) {
                    cpu[k][s] = t1 - t0;
                    bytes[k][s] = b1 - b0;
                }
            }
        }
        tracked.scope = tracked.context.makeCurrent();
        tracked.stop();
        untracked.stop();
        System.out.printf("%d slices of %d calls each, alternating; thread CPU time and bytes allocated per call"
                + " (checksum %d)%n", slices, SdkHotPathBenchmark.CALLS, sink & 0xF);
        double ceilingP25 = 0;
        for (int k = names.length - 1; k >= 0; k--) {
            Arrays.sort(cpu[k]);
            Arrays.sort(bytes[k]);
            double per = SdkHotPathBenchmark.CALLS;
            double fastest = cpu[k][0] / per;
            double p25 = cpu[k][slices / 4] / per;
            double median = cpu[k][slices / 2] / per;
            if (k == names.length - 1) {
                ceilingP25 = p25;
            }
            System.out.printf("%-26s fastest %7.1f ns  p25 %7.1f ns  median %7.1f ns  %6.0f B/call  p25 vs ceiling"
                    + " %4.0f %%%n", names[k], fastest, p25, median, bytes[k][slices / 2] / per,
                    100 * p25 / ceilingP25);
        }
    }
}
