package dev.raceway.benchmarks.sdk;

import dev.raceway.benchmarks.cpu.CpuBreakdown;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayStats;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sustained load: the SDK sends a steady 50,000 events/s (default) for a while to a real Raceway server started
 * in-process (memory backend, default engine settings), then checks that every event was accepted — zero drops,
 * zero failures. Printed next to the ceiling measured the same way in the same run: the server's ingest rate for
 * pre-encoded 1,000-event batches posted back to back from as many connections as the SDK keeps in flight.
 *
 * <p>Like any sustained-throughput benchmark it first warms up: another client sends at the same rate for
 * {@code warmup=N} seconds (default 10) from the freshly started JVMs, and its result is printed but not judged.
 *
 * <p>Run: see {@code docs/sdk.md}. Arguments: {@code [eventsPerSecond] [seconds] [producerThreads] [separate]
 * [warmup=N]};
 * with {@code separate} the server runs in its own JVM with the launcher's options, as deployed.
 */
public final class SdkLoadTest {
    /** The SDK's default number of batches in flight, used by the ceiling too. */
    private static final int CONNECTIONS = 2;

    private SdkLoadTest() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int producers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean separate = List.of(args).contains("separate");
        int warmUpSeconds = List.of(args).stream().filter(a -> a.startsWith("warmup=")).findFirst()
                .map(SdkLoadTest::warmUpSeconds).orElse(10);
        boolean passed;
        try (ServerUnderTest server = separate ? ServerUnderTest.separateProcess() : ServerUnderTest.inProcess()) {
            Result warmUp = warmUpSeconds > 0 ? sdkRun(server, rate, warmUpSeconds, producers) : null;
            Result sdk = sdkRun(server, rate, seconds, producers);
            double ceiling = ceilingRun(server, 3, CONNECTIONS);
            System.out.printf("%nSDK sustained load (target %,d events/s for %d s, %d producer threads; server %s)%n",
                    rate, seconds, producers, separate ? "in its own JVM with the launcher's options" : "in this JVM");
            if (warmUp != null) {
                System.out.printf("  warm-up (not judged): %d s at the target rate from freshly started JVMs, another"
                        + " client: delivered %,d of %,d, dropped %,d%n    %s%n", warmUpSeconds, warmUp.stats.sent(),
                        warmUp.produced, warmUp.stats.dropped(), warmUp.queueTimeline);
            }
            System.out.println("  measured run:");
            System.out.printf("  produced              %,12d events in %.2f s = %,.0f events/s%n", sdk.produced,
                    sdk.produceSeconds, sdk.produced / sdk.produceSeconds);
            System.out.printf("  delivered (all acked) %,12d events, %.2f s after the start%n", sdk.stats.sent(),
                    sdk.deliveredSeconds);
            System.out.printf("  server accepted       %,12d events%n", sdk.serverAccepted);
            System.out.println("  " + sdk.queueTimeline);
            System.out.println("  " + sdk.cpu);
            System.out.printf("  dropped %d, failed %d, rejected %d, retried batches %d%n", sdk.stats.dropped(),
                    sdk.stats.failed(), sdk.stats.rejected(), sdk.stats.retried());
            System.out.printf("  ceiling: server ingest of pre-encoded 1,000-event batches, %d connections: %,.0f events/s%n",
                    CONNECTIONS, ceiling);
            boolean ok = sdk.stats.dropped() == 0 && sdk.stats.failed() == 0 && sdk.stats.rejected() == 0
                    && sdk.stats.sent() == sdk.produced && sdk.serverAccepted >= sdk.produced;
            System.out.println(ok ? "  RESULT: PASS (zero drops)" : "  RESULT: FAIL");
            passed = ok;
        }
        if (!passed) {
            System.exit(1); // after the server (and its process, if separate) is closed
        }
    }

    private static int warmUpSeconds(String arg) {
        String value = arg.substring("warmup=".length());
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("warmup= takes a number of seconds >= 0, got '" + value + "'");
    }

    private record Result(long produced, double produceSeconds, double deliveredSeconds, RacewayStats stats,
                          long serverAccepted, String queueTimeline, String cpu) {
    }

    private static Result sdkRun(ServerUnderTest server, int rate, int seconds, int producers) throws Exception {
        long acceptedBefore = server.accepted();
        CpuBreakdown.Snapshot appCpuBefore = CpuBreakdown.snapshot();
        long serverCpuBefore = server.processCpuNanos();
        long total = (long) rate * seconds;
        try (RacewayClient client = RacewayClient.builder(server.baseUrl(), "load").instanceId("load-1")
                .captureLocation(false).flushTimeout(Duration.ofMinutes(2)).build()) {
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long share = total / producers + (p < total % producers ? 1 : 0);
                double perThreadRate = (double) rate / producers;
                Thread t = new Thread(() -> produce(client, share, perThreadRate, start), "producer-" + p);
                threads.add(t);
                t.start();
            }
            QueueTimeline timeline = QueueTimeline.start(client, start);
            for (Thread t : threads) {
                t.join();
            }
            timeline.stop();
            double produceSeconds = (System.nanoTime() - start) / 1e9;
            if (!client.flush()) {
                throw new IllegalStateException("flush did not finish within its timeout");
            }
            double deliveredSeconds = (System.nanoTime() - start) / 1e9;
            RacewayStats stats = client.stats();
            long accepted = server.accepted() - acceptedBefore;
            String appCpu = CpuBreakdown.since(appCpuBefore, SdkLoadTest::threadGroup).perEvent(total);
            long serverCpu = serverCpuBefore < 0 ? -1 : server.processCpuNanos() - serverCpuBefore;
            String cpu = serverCpu < 0 ? "CPU per event in this JVM (application and server): " + appCpu
                    : String.format("CPU per event: server JVM %.1f µs; application JVM %s", serverCpu / 1e3 / total,
                    appCpu);
            return new Result(total, produceSeconds, deliveredSeconds, stats, accepted, timeline.summary(), cpu);
        }
    }

    private static String threadGroup(String thread) {
        if (thread.startsWith("producer-")) {
            return "producers";
        }
        if (thread.startsWith("raceway-flusher") || thread.startsWith("raceway-sender")) {
            return "SDK flusher+senders";
        }
        if (thread.startsWith("raceway-")) {
            return "server";
        }
        if (thread.startsWith("OkHttp")) {
            return "OkHttp";
        }
        return "other";
    }

    /**
     * Emits {@code count} events at {@code rate} per second, one request context per 100 events. Pacing is per
     * millisecond (the events due by then, back to back), so the producers do not flood the scheduler with wake-ups.
     */
    private static void produce(RacewayClient client, long count, double rate, long start) {
        long emitted = 0;
        int inContext = 0;
        Scope scope = client.newTrace().makeCurrent();
        try {
            while (emitted < count) {
                long due = Math.min(count, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
                while (emitted < due) {
                    if (inContext == 100) {
                        scope.close();
                        scope = client.newTrace().makeCurrent();
                        inContext = 0;
                    }
                    client.trackStateChange("account.balance", inContext, inContext + 1, AccessType.Write);
                    inContext++;
                    emitted++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        } finally {
            scope.close();
        }
    }

    /**
     * The server's ingest rate for pre-encoded 1,000-event batches (fresh ids, so every event is stored), posted
     * back to back from as many connections as the SDK uses by default: what the SDK could reach at best.
     */
    private static double ceilingRun(ServerUnderTest server, int seconds, int connections) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            bodies.add(EventJson.encodeBatch(batch(1000)));
        }
        OkHttpClient http = new OkHttpClient();
        MediaType json = MediaType.get("application/json");
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                int i;
                while (System.nanoTime() < end && (i = next.getAndIncrement()) < bodies.size()) {
                    Request request = new Request.Builder().url(server.baseUrl() + "/events")
                            .post(RequestBody.create(bodies.get(i), json)).build();
                    try (Response r = http.newCall(request).execute()) {
                        if (r.code() == 200) {
                            sent.addAndGet(1000);
                        } else {
                            next.decrementAndGet(); // not stored: another connection may send it again
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }, "ceiling-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double rate = sent.get() / ((System.nanoTime() - start) / 1e9);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        return rate;
    }

    private static List<Event> batch(int n) {
        UUID trace = UUID.randomUUID();
        List<Event> out = new ArrayList<>(n);
        VectorClock clock = VectorClock.of(List.of(new ClockEntry("ceiling#c-1", 0)));
        Optional<UUID> parent = Optional.empty();
        EventMetadata md = new EventMetadata("java-1-00000000", 1, "ceiling", "development",
                Map.of("sdk_language", "java"), OptionalLong.empty(), Optional.of("c-1"), Optional.of("3f9a1c0d5e7b2a46"),
                Optional.empty());
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            clock = clock.increment("ceiling#c-1");
            out.add(new Event(id, trace, parent, Instant.now(), new EventKind.StateChange("account.balance",
                    Optional.of(JsonValue.of(i)), JsonValue.of(i + 1), "unknown", AccessType.Write), md, clock,
                    List.of()));
            parent = Optional.of(id);
        }
        return out;
    }
}
