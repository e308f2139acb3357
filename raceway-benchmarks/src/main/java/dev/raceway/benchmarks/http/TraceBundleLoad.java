package dev.raceway.benchmarks.http;

import dev.raceway.core.analysis.Anomalies;
import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.EventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The trace bundle of a big trace ({@code GET /api/traces/:id}, what the UI's trace view fetches): a memory-backend
 * server started in-process holds one trace of N events (the shape of the UI's big-trace test: 40 threads, calls and
 * reads/writes of per-thread cells under one root). The bundle is fetched over loopback, plain and gzip-compressed
 * (as a browser asks for it) in turn; the medians of wall-clock and of the JVM's CPU time per fetch are printed next
 * to the ceiling measured in the same run: writing the trace's events as a JSON array alone, the part of the bundle no
 * analysis can avoid. On a loaded machine the CPU time is the figure to compare. Then, in-process on the same events,
 * the time of each analysis the bundle runs, to show where the rest goes.
 *
 * <p>Arguments: {@code [events=100000] [fetches=7]}. Run: see {@code docs/server.md}.
 */
public final class TraceBundleLoad {
    static final int THREADS = 40;
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private TraceBundleLoad() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int fetches = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        UUID trace = UUID.randomUUID();
        List<Event> events = trace(trace, n);
        try (RacewayServer server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).build())) {
            HttpClient http = HttpClient.newHttpClient();
            for (int from = 0; from < n; from += 1000) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                EventJson.encodeBatch(events.subList(from, Math.min(n, from + 1000))))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                }
            }
            EventStore store = server.store();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (store.traceEvents(trace).size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("trace not stored within 60 s");
                }
                Thread.onSpinWait();
            }
            URI bundle = URI.create(server.baseUrl() + "/api/traces/" + trace);
            double[] plain = new double[fetches];
            double[] gzip = new double[fetches];
            double[] plainCpu = new double[fetches];
            double[] gzipCpu = new double[fetches];
            long[] bytes = new long[2];
            for (int i = -2; i < fetches; i++) { // two warm-up rounds; plain and gzip alternate
                long c0 = CPU.getProcessCpuTime();
                double p = fetch(http, bundle, false, bytes, 0);
                long c1 = CPU.getProcessCpuTime();
                double z = fetch(http, bundle, true, bytes, 1);
                long c2 = CPU.getProcessCpuTime();
                if (i >= 0) {
                    plain[i] = p;
                    gzip[i] = z;
                    plainCpu[i] = (c1 - c0) / 1e6;
                    gzipCpu[i] = (c2 - c1) / 1e6;
                }
            }
            List<Event> stored = store.traceEvents(trace);
            double[] ceiling = new double[fetches];
            for (int i = 0; i < fetches; i++) {
                long t0 = System.nanoTime();
                writeEvents(stored);
                ceiling[i] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf("trace bundle, %,d events, %,d bytes: median %.0f ms (fetches %s)%n", n, bytes[0],
                    median(plain), format(plain));
            System.out.printf("same, Accept-Encoding: gzip as browsers send it, %,d bytes on the wire: median %.0f ms"
                    + " (fetches %s)%n", bytes[1], median(gzip), format(gzip));
            System.out.printf("process CPU time per fetch (server and client, whole JVM): median %.0f ms plain, %.0f ms"
                    + " gzip%n", median(plainCpu), median(gzipCpu));
            System.out.printf("ceiling, writing the events alone: median %.0f ms -> ratio %.2f plain, %.2f gzip%n",
                    median(ceiling), median(ceiling) / median(plain), median(ceiling) / median(gzip));
            System.out.println("steps, in-process, median of " + fetches + ":");
            step("store.traceEvents", fetches, () -> store.traceEvents(trace));
            step("CausalityIndex.of", fetches, () -> CausalityIndex.of(stored, List.of(), CausalityOptions.DEFAULT));
            CausalityIndex index = CausalityIndex.of(stored, List.of(), CausalityOptions.DEFAULT);
            step("TraceRaces.analyze", fetches, () -> TraceRaces.analyze(index));
            step("AuditTrail.all", fetches, () -> AuditTrail.all(index));
            step("CriticalPaths.of", fetches, () -> CriticalPaths.of(index));
            step("TraceDependencies.of", fetches, () -> TraceDependencies.of(index));
            step("Anomalies.detect", fetches, () -> Anomalies.detect(stored, store.baselines(), true));
            step("write events", fetches, () -> writeEvents(stored));
        }
    }

    /** One fetch of the bundle, in ms; its size on the wire goes to {@code bytes[slot]}. */
    private static double fetch(HttpClient http, URI bundle, boolean gzip, long[] bytes, int slot) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(bundle);
        if (gzip) {
            b.header("Accept-Encoding", "gzip, deflate");
        }
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException("bundle answered " + r.statusCode());
        }
        bytes[slot] = r.body().length;
        return ms;
    }

    private static void step(String name, int runs, Supplier<?> s) {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            var unused = s.get(); // timed; the result itself is not needed
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("  %-22s %7.1f ms%n", name, median(t));
    }

    /** The events' JSON array, written the fastest way the codec offers. */
    private static byte[] writeEvents(List<Event> events) {
        return EventJson.encodeArray(events);
    }

    /** The UI big-trace benchmark's shape: calls of 2 ms, reads and writes of per-thread cells, all under one root. */
    static List<Event> trace(UUID trace, int n) {
        UUID root = new UUID(0x0123_4567_0000_4000L, 0x8000_0000_0000_0000L);
        Instant base = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int thread = i % THREADS;
            EventKind kind = i % 3 == 0
                    ? new EventKind.FunctionCall("work_" + (i % 17), "bench", JsonValue.NULL, "Bench.java", i % 100)
                    : new EventKind.StateChange("cell." + thread, Optional.of(JsonValue.of(i)), JsonValue.of(i + 1),
                    "Bench.java:7", i % 3 == 1 ? AccessType.Read : AccessType.Write);
            EventMetadata m = EventMetadata.of("worker-" + thread, 1, "bench-" + (thread % 4), "bench");
            if (i % 3 == 0) {
                m = m.withDurationNs(2_000_000);
            }
            out.add(new Event(i == 0 ? root : new UUID(0x0123_4567_0000_4000L, 0x8000_0000_0000_0000L | i), trace,
                    i == 0 ? Optional.empty() : Optional.of(root), base.plus(i * 50L, ChronoUnit.MICROS), kind, m,
                    VectorClock.empty(), List.of()));
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%.0f", x));
        }
        return b.toString();
    }
}
