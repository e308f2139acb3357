package dev.raceway.benchmarks.agent;

import com.sun.net.httpserver.HttpServer;
import dev.raceway.benchmarks.agent.workload.HttpApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests per second of {@link HttpApp} (locks, an executor hand-off and a field update per request) in three
 * JVMs, one after the other: without the agent (the ceiling), with the agent but no field tracking (requests,
 * propagation, executors, locks), and with the app's package tracked too. Targets: ≥ 90 % and ≥ 50 % of the ceiling.
 * The agent sends to a local endpoint that discards the events.
 *
 * <pre>java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.agent.AgentRequestOverhead \
 *     raceway-agent/target/raceway-agent.jar [seconds]</pre>
 */
public final class AgentRequestOverhead {
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;

    private AgentRequestOverhead() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "raceway-agent/target/raceway-agent.jar";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (!new File(jar).isFile()) {
            throw new IllegalArgumentException("no agent jar at " + jar);
        }
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        sink.createContext("/events", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            byte[] ok = "{\"success\":true,\"data\":\"Ingested\",\"error\":null}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        sink.start();
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort();
        try {
            List<String> agent = List.of("-javaagent:" + jar, "-Draceway.endpoint=" + endpoint,
                    "-Draceway.service_name=bench");
            List<String> fields = new ArrayList<>(agent);
            fields.add("-Draceway.packages=" + HttpApp.class.getPackageName());
            // Interleaved rounds, best of each: a neighbour's load on a shared machine hits one run, not a config.
            Result none = Result.NONE;
            Result requestsOnly = Result.NONE;
            Result withFields = Result.NONE;
            for (int round = 0; round < ROUNDS; round++) {
                none = none.best(run(List.of(), seconds));
                requestsOnly = requestsOnly.best(run(agent, seconds));
                withFields = withFields.best(run(fields, seconds));
            }
            System.out.printf("%nJDK HttpServer app, %d clients, best of %d runs of %d s, requests/s:%n", CLIENTS,
                    ROUNDS, seconds);
            System.out.printf("  without the agent (ceiling)        %9.0f             %7.1f us of the app's CPU per request%n",
                    none.perSecond(), none.cpuMicros());
            System.out.printf("  agent, no field tracking           %9.0f   %5.1f %% (target >= 90 %%)   %7.1f us%n",
                    requestsOnly.perSecond(), 100 * requestsOnly.perSecond() / none.perSecond(),
                    requestsOnly.cpuMicros());
            System.out.printf("  agent, app package tracked         %9.0f   %5.1f %% (target >= 50 %%)   %7.1f us%n",
                    withFields.perSecond(), 100 * withFields.perSecond() / none.perSecond(), withFields.cpuMicros());
        } finally {
            sink.stop(0);
        }
    }

    /**
     * One run: requests per second, and the app process's CPU time per request (on a shared machine the steadier
     * of the two: it does not count the time the app waited for a core).
     */
    private record Result(double perSecond, double cpuMicros) {
        static final Result NONE = new Result(0, Double.NaN);

        Result best(Result other) {
            return other.perSecond > perSecond ? other : this;
        }
    }

    /** Starts the app, warms it up for half the time, measures for the full time, stops it. */
    private static Result run(List<String> jvmArgs, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Dsun.net.httpserver.nodelay=true"); // else small responses wait for delayed ACKs (≈ 40 ms each)
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HttpApp.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port=")) {
                throw new IllegalStateException("the app did not start: " + line);
            }
            URI uri = URI.create("http://127.0.0.1:" + line.substring(5) + "/work");
            load(uri, seconds * 500L);
            long cpuBefore = cpuNanos(p);
            double answered = load(uri, seconds * 1000L);
            return new Result(answered / seconds, (cpuNanos(p) - cpuBefore) / 1000.0 / answered);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    private static long cpuNanos(Process p) {
        return p.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** {@link #CLIENTS} threads sending requests back to back for {@code millis}; returns the number answered. */
    private static double load(URI uri, long millis) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(uri).build();
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            done.increment();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(millis);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return done.sum();
    }
}
