package dev.raceway.benchmarks.codec;

import com.fasterxml.jackson.core.JsonFactory;
import dev.raceway.core.json.EventJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link DecodeBenchmark}'s comparison (decodeBatch vs a raw Jackson scan of the same 1,000-event body) timed in
 * thread CPU time instead of wall-clock time: on a shared two-core machine the JMH scores varied more than the
 * difference being measured, while CPU time does not count the time the thread waits for a core.
 *
 * <p>{@code java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.codec.DecodeCpuTime [rounds=8]}
 */
public final class DecodeCpuTime {
    private static final int PER_ROUND = 200;

    private DecodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        byte[] body = DecodeBenchmark.sampleBatch(DecodeBenchmark.EVENTS);
        JsonFactory factory = new JsonFactory();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long events = (long) PER_ROUND * DecodeBenchmark.EVENTS;
        for (int round = 0; round < rounds + 2; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += EventJson.decodeBatch(body).events().size();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += DecodeBenchmark.rawScan(factory, body);
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (round >= 2) { // the first two rounds warm up the JIT
                double decode = events / ((t1 - t0) / 1e9);
                double raw = events / ((t2 - t1) / 1e9);
                System.out.printf("decodeBatch %,10.0f events/s   rawJacksonScan %,10.0f events/s   ratio %3.0f %%%n",
                        decode, raw, 100 * decode / raw);
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the work observable
        }
    }
}
