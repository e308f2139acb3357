package dev.raceway.benchmarks.codec;

import com.fasterxml.jackson.core.JsonFactory;
import dev.raceway.core.json.EventJson;

/**
 * {@link DecodeBenchmark}'s comparison (decodeBatch vs a raw Jackson scan of the same 1,000-event body) timed in
 * thread CPU time instead of wall-clock time: on a shared two-core machine the JMH scores varied more than the
 * difference being measured, while CPU time does not count the time the thread waits for a core.
 *
 * <p>{@code java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.codec.DecodeCpuTime [rounds=8]}
 */
public final class DecodeCpuTime {
    private DecodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        byte[] body = DecodeBenchmark.sampleBatch(DecodeBenchmark.EVENTS);
        JsonFactory factory = new JsonFactory();
        AlternatingCpuTime.compare(slices, DecodeBenchmark.EVENTS,
                "decodeBatch", () -> EventJson.decodeBatch(body).events().size(),
                "rawJacksonScan", () -> DecodeBenchmark.rawScan(factory, body));
    }
}
