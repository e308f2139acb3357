package dev.raceway.programs;

import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Programs that serve and call HTTP, for the agent's request and propagation instrumentation. */
public final class ServicePrograms {
    private ServicePrograms() {
    }

    public static void main(String[] args) throws Exception {
        Object result = switch (args[0]) {
            case "outbound" -> outbound();
            case "servlet" -> servlet();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
        System.out.println("result=" + result);
    }

    static final class Hits {
        int count;
    }

    /**
     * Calls its own JDK HTTP server once with HttpURLConnection and once with HttpClient; the handler counts
     * the calls. The calls carry the JVM run's trace, so the handler's work joins it.
     */
    static int outbound() throws Exception {
        Hits hits = new Hits();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        server.setExecutor(pool);
        server.createContext("/hit", exchange -> {
            int now;
            synchronized (hits) {
                now = ++hits.count;
            }
            byte[] body = Integer.toString(now).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hit";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            int first;
            try (InputStream in = c.getInputStream()) {
                first = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            int second = Integer.parseInt(r.body());
            return first + second + hits.count; // no lock: the responses ordered the handlers' work before this
        } finally {
            server.stop(0);
            pool.shutdown();
        }
    }

    static final class Vault {
        int balance = 1000;
    }

    /** A Jetty servlet taking 100 from one balance without a lock; serves until stdin closes. */
    static int servlet() throws Exception {
        Vault vault = new Vault();
        CountDownLatch bothIn = new CountDownLatch(2);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                bothIn.countDown();
                try {
                    bothIn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int seen = vault.balance;
                vault.balance = seen - 100;
                resp.getWriter().write(Integer.toString(seen - 100));
            }
        }), "/withdraw");
        server.setHandler(context);
        server.start();
        System.out.println("port=" + connector.getLocalPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // wait for the test to close stdin
        }
        server.stop();
        return vault.balance;
    }
}
