package dev.raceway.benchmarks.sdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A local HTTP endpoint that reads and discards {@code POST /events} bodies and answers 200 — so the tracking-call
 * benchmark measures the caller's thread, not a server's ingest speed.
 */
final class DiscardingSink implements AutoCloseable {
    private final HttpServer server;

    DiscardingSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        byte[] ok = "{\"success\":true,\"data\":\"Ingested\",\"error\":null}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/events", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
