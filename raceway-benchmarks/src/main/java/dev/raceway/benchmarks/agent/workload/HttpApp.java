package dev.raceway.benchmarks.agent.workload;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small JDK-HttpServer service for {@code AgentRequestOverhead}: each {@code GET /work} takes a lock around an
 * update of shared state, hands a task to an executor and waits for it, and answers. Prints {@code port=<n>}, serves
 * until stdin closes.
 */
public final class HttpApp {
    static final class Stats {
        long requests;
        long work;
    }

    private HttpApp() {
    }

    public static void main(String[] args) throws Exception {
        Stats stats = new Stats();
        ReentrantLock lock = new ReentrantLock();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        ExecutorService handlers = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(handlers);
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        server.createContext("/work", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            lock.lock();
            try {
                stats.requests++;
            } finally {
                lock.unlock();
            }
            Future<Long> f = workers.submit(() -> {
                long sum = 0;
                for (int i = 0; i < 100; i++) {
                    sum += i * 31L;
                }
                synchronized (stats) {
                    stats.work += sum;
                }
                return sum;
            });
            try {
                f.get();
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
        System.out.println("port=" + server.getAddress().getPort());
        System.out.flush();
        System.in.transferTo(OutputStream.nullOutputStream());
        server.stop(0);
        workers.shutdown();
        handlers.shutdown();
    }
}
