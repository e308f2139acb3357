package dev.raceway.benchmarks.codec;

import com.fasterxml.jackson.core.JsonFactory;
import dev.raceway.core.json.EventJson;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link DecodeBenchmark}'s comparison (decodeBatch vs a raw Jackson scan of the same 1,000-event body) timed in
 * thread CPU time instead of wall-clock time: on a shared two-core machine the JMH scores varied more than the
 * difference being measured, while CPU time does not count the time the thread waits for a core.
 *
 * <p>{@code java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.codec.DecodeCpuTime [rounds=8]}
 */
public final class DecodeCpuTime {
    /** Batches per slice: short slices, alternated, so that both sides see the same machine conditions. */
    private static final int PER_SLICE = 10;
    private static final int WARM_UP_SLICES = 100;

    private DecodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        byte[] body = DecodeBenchmark.sampleBatch(DecodeBenchmark.EVENTS);
        JsonFactory factory = new JsonFactory();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long[] decode = new long[slices];
        long[] raw = new long[slices];
        for (int s = -WARM_UP_SLICES; s < slices; s++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_SLICE; i++) {
                sink += EventJson.decodeBatch(body).events().size();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_SLICE; i++) {
                sink += DecodeBenchmark.rawScan(factory, body);
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (s >= 0) {
                decode[s] = t1 - t0;
                raw[s] = t2 - t1;
            }
        }
        Arrays.sort(decode);
        Arrays.sort(raw);
        long events = (long) PER_SLICE * DecodeBenchmark.EVENTS;
        System.out.printf("%d slices of %d batches x %d events each, alternating; thread CPU time%n", slices, PER_SLICE,
                DecodeBenchmark.EVENTS);
        // Interference (a neighbour's cache traffic, or steal time, which a virtual machine counts as CPU time)
        // only ever adds time: the fastest slices are the code's own cost, the median shows the spread.
        for (double q : new double[] {0, 0.25, 0.5}) {
            int i = (int) (q * (slices - 1));
            double d = events / (decode[i] / 1e9);
            double r = events / (raw[i] / 1e9);
            System.out.printf("%-8s decodeBatch %,10.0f events/s   rawJacksonScan %,10.0f events/s   ratio %3.0f %%%n",
                    q == 0 ? "fastest" : q == 0.25 ? "p25" : "median", d, r, 100 * d / r);
        }
        if (sink == 42) {
            System.out.println(); // keeps the work observable
        }
    }
}
