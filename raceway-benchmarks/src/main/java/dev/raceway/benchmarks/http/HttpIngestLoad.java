package dev.raceway.benchmarks.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.raceway.benchmarks.cpu.CpuBreakdown;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.WriteResult;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP ingest load: a memory-backend server started in-process, {@code POST /events} with 1000-event batches from
 * several concurrent connections over loopback, until every event is written to the store. Printed next to the
 * ceiling measured in the same run on the same payload: raw Jackson streaming parse speed (every token read, one
 * thread) and, for reference, the event decoder alone. Three passes, each on a fresh payload, each ingest followed
 * at once by three ceiling runs on its payload; the ratio is taken to the median ceiling run (one run, like the
 * ingest) and, printed beside it, to the best; the median over the passes is reported. Then the latency of small
 * posts (10 events) on an idle server.
 *
 * <p>Arguments: {@code [connections=4] [batches=1000] [smallPosts=3000] [warmBatchesPerRound=300]}. Run: see {@code docs/server.md}.
 */
public final class HttpIngestLoad {
    static final int BATCH = 1000;
    private static final int PASSES = 3;

    private HttpIngestLoad() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int smallPosts = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int warmBatches = args.length > 3 ? Integer.parseInt(args[3]) : 300;

        ServerConfiguration config = memoryServer();
        try (RacewayServer server = RacewayServer.start(config)) {
            URI uri = URI.create(server.baseUrl() + "/events");
            warmUp(server, uri, warmBatches, connections);

            // Ingest and ceiling alternate, pass by pass, each on a fresh payload (new ids): on a shared machine
            // the neighbours' load moves both, and a ratio of two measurements taken minutes apart measures them.
            List<Result> runs = new ArrayList<>();
            List<Rates> ceilings = new ArrayList<>();
            List<byte[]> measured = List.of();
            for (int pass = 1; pass <= PASSES; pass++) {
                System.out.printf("Pass %d of %d: generating %d batches of %d events...%n", pass, PASSES, batches,
                        BATCH);
                measured = null; // the previous pass's payload may go
                measured = payloads(batches, BATCH);
                runs.add(ingest(server, uri, measured, connections));
                ceilings.add(ceiling(measured, HttpIngestLoad::rawParse));
            }
            long bytes = measured.stream().mapToLong(b -> b.length).sum();
            Result discard = discardingRun(config, warmBatches, measured, connections);
            Rates decode = ceiling(measured, HttpIngestLoad::decode);

            System.out.printf("%nHTTP ingest, memory backend, %d connections, %d batches x %d events (%.1f MB) per pass,"
                    + " %d passes%n", connections, batches, BATCH, bytes / 1e6, PASSES);
            for (int i = 0; i < PASSES; i++) {
                Result r = runs.get(i);
                Rates c = ceilings.get(i);
                System.out.printf("  pass %d: ingested (written to store) %,9.0f events/s (%.2f s, %d refused posts"
                        + " retried); ceiling %,9.0f (best %,9.0f); ratio %3.0f %% (to the best: %.0f %%)%n", i + 1,
                        r.rate(), r.seconds, r.refused, c.median, c.best, 100 * r.rate() / c.median,
                        100 * r.rate() / c.best);
                System.out.printf("    writer busy %.2f s in store writes; CPU per event: %s%n", r.storeSeconds,
                        r.cpu.perEvent(r.events));
            }
            System.out.printf("  same, store writes discarded %,11.0f events/s  (HTTP + decode + pipeline only)%n",
                    discard.events / discard.seconds);
            System.out.printf("    CPU per event: %s%n", discard.cpu.perEvent(discard.events));
            System.out.printf("  ceiling: raw Jackson parse of each pass's payload, 1 thread, right after its ingest:"
                    + " the median of 3 runs (a single run, like the ingest), and the best of them%n");
            System.out.printf("  reference: event decoder    %,12.0f events/s  (same payload, 1 thread, median of 3)%n",
                    decode.median);
            List<Double> toMedian = new ArrayList<>();
            List<Double> toBest = new ArrayList<>();
            for (int i = 0; i < PASSES; i++) {
                toMedian.add(runs.get(i).rate() / ceilings.get(i).median);
                toBest.add(runs.get(i).rate() / ceilings.get(i).best);
            }
            System.out.printf("  ingest / raw parse ceiling  %11.0f %%  median of %d passes (%.0f %% to the best ceiling"
                    + " runs; target >= 50 %%)%n", 100 * median(toMedian), PASSES, 100 * median(toBest));

            long[] lat = smallPostLatencies(uri, smallPosts);
            System.out.printf("%nSmall posts (10 events, 1 connection, idle server), %d posts%n", lat.length);
            System.out.printf("  p50 %.2f ms   p99 %.2f ms   max %.2f ms%n", pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6,
                    lat[lat.length - 1] / 1e6);
        }
    }

    /** The server both ingest loads run against: any port, 64 MB bodies, memory backend. */
    static ServerConfiguration memoryServer() {
        return ServerConfiguration.builder()
                .server(s -> s.port(0).maxBodyBytes(64L * 1024 * 1024))
                .storage(new MemoryStoreConfig(10_000_000))
                .engine(new EngineConfig(50_000, 1000, 10))
                .build();
    }

    /**
     * {@code storeSeconds}: time the pipeline's writer spent inside store calls during the run; {@code cpu}: CPU
     * seconds spent by each group of threads during the run.
     */
    record Result(long events, double seconds, long refused, double storeSeconds, CpuBreakdown cpu) {
        double rate() {
            return events / seconds;
        }
    }

    /**
     * Ingests fresh batches (new ids, so the store's insert path runs, not its duplicate check) round after round
     * until the JIT compiler is done with the path: the decoder's large methods take C2 several seconds of CPU, which
     * would otherwise be counted in the measured run (a server that has run for a while is past that). At most
     * fifteen rounds.
     */
    static void warmUp(RacewayServer server, URI uri, int batchesPerRound, int connections) throws Exception {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= 15; round++) {
            List<byte[]> batches = payloads(batchesPerRound, BATCH);
            long compiledBefore = jit.getTotalCompilationTime();
            ingest(server, uri, batches, connections);
            long compileMillis = jit.getTotalCompilationTime() - compiledBefore;
            if (compileMillis < 100) {
                System.out.printf("  warm after %d round(s) of %d batches (JIT %d ms in the last)%n", round,
                        batchesPerRound, compileMillis);
                return;
            }
        }
        System.out.println("  still compiling after 15 warm-up rounds; measuring anyway");
    }

    /** Posts every batch (connections in parallel), retrying refused ones, and waits until all are written. */
    static Result ingest(RacewayServer server, URI uri, List<byte[]> batches, int connections)
            throws Exception {
        return ingest(server, uri, "application/json", batches, BATCH, connections);
    }

    /** {@link #ingest(RacewayServer, URI, List, int)} for bodies of another content type and size. */
    static Result ingest(RacewayServer server, URI uri, String contentType, List<byte[]> batches, int eventsPerBatch,
                         int connections) throws Exception {
        long writtenBefore = server.ingestMetrics().written();
        double storeMillisBefore = server.ingestMetrics().totalBatchMillis();
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        // The payloads (hundreds of MB, generated up front) are promoted now rather than copied by the collector
        // during the measured run: they are the load generator's data, not the server's.
        System.gc();
        CpuBreakdown.Snapshot cpu0 = CpuBreakdown.snapshot();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            futures.add(pool.submit(() -> {
                try (KeepAliveClient client = new KeepAliveClient(uri, contentType)) {
                    int i;
                    while ((i = next.getAndIncrement()) < batches.size()) {
                        int status;
                        while ((status = client.post(batches.get(i))) != 200) {
                            if (status != 503) {
                                throw new IllegalStateException("unexpected status " + status);
                            }
                            refused.incrementAndGet();
                            Thread.sleep(5);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        long expected = writtenBefore + (long) batches.size() * eventsPerBatch;
        while (server.ingestMetrics().written() < expected) {
            // Parked, not spinning: on two cores a spinning poller takes a core from the writer it waits for.
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuBreakdown cpu = CpuBreakdown.since(cpu0, HttpIngestLoad::threadGroup);
        return new Result((long) batches.size() * eventsPerBatch, seconds, refused.get(),
                (server.ingestMetrics().totalBatchMillis() - storeMillisBefore) / 1e3, cpu);
    }

    /**
     * The same run against a server whose store discards writes (reads go to an empty memory store): what the HTTP
     * layer, decoding and the pipeline cost without the backend's write.
     */
    static Result discardingRun(ServerConfiguration config, int warmBatches, List<byte[]> measured,
                                int connections) throws Exception {
        EventStore memory = EventStores.open(config.storage());
        EventStore discarding = (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(),
                new Class<?>[] {EventStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("write")) {
                        int n = ((List<?>) args[0]).size();
                        return new WriteResult(n, n);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (RacewayServer server = RacewayServer.start(config, discarding)) {
            URI uri = URI.create(server.baseUrl() + "/events");
            warmUp(server, uri, warmBatches, connections);
            return ingest(server, uri, measured, connections);
        }
    }

    interface Parse {
        void run(byte[] body) throws Exception;
    }

    /** Events per second of three runs: the median (a typical single run) and the best. */
    record Rates(double median, double best) {
    }

    /** One thread doing {@code parse} over the payload, three times. */
    static Rates ceiling(List<byte[]> batches, Parse parse) throws Exception {
        return ceiling(batches, BATCH, parse);
    }

    /** {@link #ceiling(List, Parse)} for bodies of {@code eventsPerBody} events. */
    static Rates ceiling(List<byte[]> batches, int eventsPerBody, Parse parse) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            for (byte[] b : batches) {
                parse.run(b);
            }
            rates.add((double) batches.size() * eventsPerBody / ((System.nanoTime() - t0) / 1e9));
        }
        return new Rates(median(rates), rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    static final JsonFactory FACTORY = new JsonFactory();
    static long sink;

    static void rawParse(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            long n = 0;
            while (p.nextToken() != null) {
                n++;
            }
            sink += n;
        }
    }

    static void decode(byte[] body) throws Exception {
        sink += EventJson.decodeBatch(body).events().size();
    }

    static long[] smallPostLatencies(URI uri, int posts) throws Exception {
        List<byte[]> bodies = payloads(posts + 500, 10);
        long[] lat = new long[posts];
        try (KeepAliveClient client = new KeepAliveClient(uri)) {
            for (int i = 0; i < posts + 500; i++) {
                long t0 = System.nanoTime();
                int status = client.post(bodies.get(i));
                long t = System.nanoTime() - t0;
                if (status != 200) {
                    throw new IllegalStateException("status " + status);
                }
                if (i >= 500) {
                    lat[i - 500] = t;
                }
            }
        }
        Arrays.sort(lat);
        return lat;
    }

    /** The server's thread groups, and the benchmark's own HTTP client. */
    private static String threadGroup(String thread) {
        if (thread.startsWith("raceway-worker")) {
            return "decode workers";
        }
        if (thread.startsWith("raceway-io")) {
            return "event loops";
        }
        if (thread.startsWith("raceway-ingest-writer")) {
            return "store writer";
        }
        if (thread.startsWith("pool-")) {
            return "benchmark client";
        }
        return "other";
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Realistic batches: 10 traces of 100 events each, mixing calls, state changes, HTTP and locks. */
    static List<byte[]> payloads(int count, int size) {
        List<byte[]> out = new ArrayList<>(count);
        Instant t = Instant.parse("2025-03-01T10:15:02.123456789Z");
        for (int b = 0; b < count; b++) {
            List<Event> events = new ArrayList<>(size);
            UUID trace = UUID.randomUUID();
            for (int i = 0; i < size; i++) {
                if (i % 100 == 0) {
                    trace = UUID.randomUUID();
                }
                String thread = "thread-" + (i % 4);
                EventMetadata meta = EventMetadata.of(thread, 4242, "banking-api", "production")
                        .withTags(Map.of("sdk_language", "java"))
                        .withDistributed(Optional.of("web-1-4242"), Optional.of("b7ad6b7169203331"), Optional.empty());
                EventKind kind = switch (i % 5) {
                    case 0 -> new EventKind.FunctionCall("transfer", "bank", JsonValue.parse("{\"amount\":" + i + "}"),
                            "Bank.java", 40 + i % 50);
                    case 1 -> new EventKind.StateChange("account-" + (i % 20) + ".balance",
                            Optional.of(JsonValue.parse(Integer.toString(1000 - i))),
                            JsonValue.parse(Integer.toString(900 - i)), "Bank.java:137", AccessType.Write);
                    case 2 -> new EventKind.StateChange("account-" + (i % 20) + ".balance", Optional.empty(),
                            JsonValue.parse(Integer.toString(1000 - i)), "Bank.java:131", AccessType.Read);
                    case 3 -> new EventKind.HttpRequest("POST", "/transfer?from=a&to=b",
                            Map.of("content-type", "application/json"), Optional.empty());
                    default -> new EventKind.LockAcquire("account-" + (i % 20), "Mutex", "Bank.java:120");
                };
                events.add(new Event(UUID.randomUUID(), trace, Optional.empty(), t.plusNanos(1_000L * i), kind,
                        meta.withDurationNs(12_345L + i), VectorClock.of(List.of(new ClockEntry("banking-api#web-1-4242",
                        i + 1))), List.of()));
            }
            out.add(EventJson.encodeBatch(events));
        }
        return out;
    }
}
