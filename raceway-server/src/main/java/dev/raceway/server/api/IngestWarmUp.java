package dev.raceway.server.api;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.metrics.ServerMetrics;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.memory.MemoryEventStore;
import dev.raceway.storage.ingest.IngestPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code POST /events} — the handler, body decoding from Netty buffers, the ingest pipeline and the memory
 * store's writes — over synthetic batches, once per JVM, before the first server listens ({@code [server] warm_up}).
 *
 * <p>Why: a cold JVM decodes and stores several times slower than a warm one, and the just-in-time compiler competes
 * with the traffic for the CPU. An application that starts sending at full rate right after the server starts then
 * finds it slow for the first seconds, and its SDK queue fills. Measured with {@code SdkLoadTest … separate}: at
 * 50,000 events/s the client's queue peaked at 97,000 events against a cold server, 28,000 against one that an
 * earlier run had warmed.
 *
 * <p>The synthetic events go to a scratch memory store that is dropped afterwards: nothing reaches the real store,
 * its metrics or its pipeline.
 */
public final class IngestWarmUp {
    /** Events run through at most; under a second of CPU once compiled. */
    static final int MAX_EVENTS = 200_000;
    /** The longest the warm-up may delay start-up, on a slow or busy machine. */
    static final Duration MAX_TIME = Duration.ofSeconds(2);
    private static final int BATCH = 1000;
    private static final int BODIES = 4;
    private static final Logger LOG = LoggerFactory.getLogger(IngestWarmUp.class);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private IngestWarmUp() {
    }

    /**
     * Warms this JVM's ingest path unless it was already done (one warm-up serves every later server of the JVM).
     *
     * @return the number of events run through; 0 when this JVM was already warm
     */
    public static long runOnce(ServerConfiguration config) {
        if (!DONE.compareAndSet(false, true)) {
            return 0;
        }
        try {
            return run(config, MAX_EVENTS, MAX_TIME);
        } catch (Exception e) {
            // A warm-up that fails costs speed, never correctness: the server starts anyway.
            LOG.warn("ingest warm-up failed, starting cold: {}", e.toString());
            return 0;
        }
    }

    static long run(ServerConfiguration config, int maxEvents, Duration maxTime) throws Exception {
        long deadline = System.nanoTime() + maxTime.toNanos();
        int perBatch = Math.min(BATCH, IngestHandler.maxEventsPerBody(config));
        List<byte[]> bodies = new ArrayList<>(BODIES);
        for (int b = 0; b < BODIES; b++) {
            bodies.add(EventJson.encodeBatch(batch(b, perBatch)));
        }
        ServerConfiguration scratchConfig = config.toBuilder().durableAck(false).build();
        long events = 0;
        MemoryEventStore store = null;
        IngestPipeline pipeline = null;
        try {
            for (int round = 0; events < maxEvents && System.nanoTime() < deadline; round++) {
                if (round % BODIES == 0) { // fresh ids for the store: every event is a first insert again
                    if (pipeline != null) {
                        pipeline.close(Duration.ofSeconds(5));
                        store.close();
                    }
                    store = new MemoryEventStore(new MemoryStoreConfig((long) BODIES * perBatch));
                    pipeline = IngestPipeline.start(store, scratchConfig.engine());
                }
                ServerContext ctx = new ServerContext(scratchConfig, store, HealthProbe.direct(store), pipeline, new ServerMetrics(),
                        Instant.now(), "warm-up");
                ApiRequest request = request(bodies.get(round % BODIES));
                ApiResponse response;
                try {
                    response = new IngestHandler(ctx).handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
                } finally {
                    request.content().release();
                }
                if (response.status().code() != 200) {
                    throw new IllegalStateException("a synthetic batch was answered " + response.status());
                }
                events += perBatch;
            }
        } finally {
            if (pipeline != null) {
                pipeline.close(Duration.ofSeconds(5));
                store.close();
            }
        }
        return events;
    }

    /** The body split over several buffers, as Netty's aggregator hands a large request over. */
    private static ApiRequest request(byte[] body) {
        CompositeByteBuf content = Unpooled.compositeBuffer();
        for (int off = 0; off < body.length; off += 65_536) {
            ByteBuf chunk = Unpooled.wrappedBuffer(body, off, Math.min(65_536, body.length - off));
            content.addComponent(true, chunk);
        }
        HttpHeaders headers = new DefaultHttpHeaders().set("Content-Type", "application/json");
        return new ApiRequest(HttpMethod.POST, "/events", Map.of(), headers, content, Map.of(), "127.0.0.1");
    }

    /** A batch as SDKs send them: requests of ten events mixing calls, shared state, HTTP, locks and queries. */
    private static List<Event> batch(int seed, int size) {
        List<Event> out = new ArrayList<>(size);
        Map<String, String> tags = Map.of("sdk_language", "java", "sdk_version", "0.1.0");
        Instant base = Instant.parse("2025-01-01T00:00:00.123456Z").plusSeconds(seed);
        UUID trace = null;
        UUID root = null;
        for (int i = 0; i < size; i++) {
            int k = i % 10;
            int request = seed * size + i / 10;
            if (k == 0) {
                trace = UUID.randomUUID();
                root = null;
            }
            String service = "service-" + request % 3;
            String variable = "account-" + request % 50 + ".balance";
            String location = "Handler.java:" + (40 + k);
            EventKind kind = switch (k) {
                case 0 -> new EventKind.FunctionCall("handle", "com.example", JsonValue.ofCompactJson(
                        "{\"path\":\"/orders\",\"id\":" + request + "}"), "Handler.java", 40);
                case 1 -> new EventKind.HttpRequest("POST", "/orders/" + request, Map.of("content-type",
                        "application/json"), Optional.empty());
                case 2 -> new EventKind.StateChange(variable, Optional.empty(), JsonValue.of(request),
                        location, AccessType.Read);
                case 3 -> new EventKind.StateChange(variable, Optional.of(JsonValue.of(request)),
                        JsonValue.of("v" + request), location, AccessType.Write);
                case 4 -> new EventKind.LockAcquire("lock-" + variable, "Mutex", location);
                case 5 -> new EventKind.LockRelease("lock-" + variable, "Mutex", location);
                case 6 -> new EventKind.DatabaseQuery("SELECT 1", "main", 3);
                case 7 -> new EventKind.Error("IllegalStateException", "failed " + request, List.of(location));
                case 8 -> new EventKind.Custom("checkpoint", JsonValue.ofCompactJson("{\"step\":" + k + "}"));
                default -> new EventKind.HttpResponse(200, Map.of(), Optional.empty(), 12);
            };
            EventMetadata metadata = new EventMetadata("req-" + request, 4242, service, "production", tags,
                    k == 9 ? OptionalLong.of(1_000_000L + i) : OptionalLong.empty(), Optional.of("pod-1"),
                    Optional.of(String.format("%016x", request * 0x9E3779B97F4A7C15L)), Optional.empty());
            UUID id = UUID.randomUUID();
            out.add(new Event(id, trace, Optional.ofNullable(root), base.plusNanos(i * 1_000_123L), kind, metadata,
                    VectorClock.of(List.of(new ClockEntry(service + "#req-" + request, k + 1))), List.of()));
            root = id;
        }
        return out;
    }
}
