package dev.raceway.benchmarks.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.MalformedBatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode throughput of a 1,000-event {@code POST /events} body, in events per second, next to its ceiling: a raw
 * Jackson streaming scan of the same bytes that touches every token and string but builds nothing. The target is
 * {@code decodeBatch} ≥ 50% of {@code rawJacksonScan}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(DecodeBenchmark.EVENTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DecodeBenchmark {
    static final int EVENTS = 1000;

    private final JsonFactory factory = new JsonFactory();
    private byte[] body;

    @Setup
    public void setUp() throws MalformedBatchException {
        body = sampleBatch(EVENTS);
        if (EventJson.decodeBatch(body).events().size() != EVENTS) {
            throw new IllegalStateException("sample batch does not decode cleanly");
        }
    }

    /** The ceiling: every token read, every string materialised, nothing built. */
    @Benchmark
    public long rawJacksonScan() throws IOException {
        return rawScan(factory, body);
    }

    /** The scan itself, shared with {@link DecodeCpuTime}. */
    static long rawScan(JsonFactory factory, byte[] body) throws IOException {
        long sum = 0;
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.VALUE_STRING) {
                    sum += p.getText().length();
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    sum += p.getLongValue();
                }
            }
        }
        return sum;
    }

    @Benchmark
    public BatchDecodeResult decodeBatch() throws MalformedBatchException {
        return EventJson.decodeBatch(body);
    }

    /** A realistic mix: state changes, function calls and HTTP events as the SDKs send them. */
    static byte[] sampleBatch(int n) {
        StringBuilder sb = new StringBuilder(n * 600).append("{\"events\":[");
        UUID trace = UUID.randomUUID();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String kind = switch (i % 4) {
                case 0, 1 -> "{\"StateChange\":{\"variable\":\"account-" + (i % 50) + ".balance\",\"old_value\":"
                        + (1000 + i) + ",\"new_value\":" + (900 + i) + ",\"location\":\"src/bank/Transfer.java:"
                        + (40 + i % 7) + "\",\"access_type\":\"" + (i % 2 == 0 ? "Read" : "Write") + "\"}}";
                case 2 -> "{\"FunctionCall\":{\"function_name\":\"transfer\",\"module\":\"bank\",\"args\":{\"from\":\"alice\","
                        + "\"to\":\"bob\",\"amount\":" + i + "},\"file\":\"src/bank/Transfer.java\",\"line\":31}}";
                default -> "{\"HttpResponse\":{\"status\":200,\"headers\":{\"content-type\":\"application/json\"},"
                        + "\"body\":null,\"duration_ms\":" + (i % 40) + "}}";
            };
            sb.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"trace_id\":\"").append(trace)
                    .append("\",\"parent_id\":\"").append(UUID.randomUUID())
                    .append("\",\"timestamp\":\"2025-03-01T10:15:02.").append(String.format("%06d", i))
                    .append("+00:00\",\"kind\":").append(kind)
                    .append(",\"metadata\":{\"thread_id\":\"java-4242-").append(i % 8)
                    .append("\",\"process_id\":4242,\"service_name\":\"banking-api\",\"environment\":\"production\","
                            + "\"tags\":{\"sdk_language\":\"java\"},\"duration_ns\":")
                    .append(1000L * i).append(",\"instance_id\":\"web-1-4242\",\"distributed_span_id\":\"b7ad6b7169203331\"},"
                            + "\"causality_vector\":[[\"banking-api#web-1-4242\",").append(i + 1).append("]],\"lock_set\":[]}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
