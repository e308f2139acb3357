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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
            case "ledger" -> ledger();
            case "okhttp-front" -> okHttpFront(Integer.parseInt(args[1]), args[2].equals("concurrent"));
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

    static final class Ledger {
        int balance = 1000;
    }

    static final class Till {
        int cash;
    }

    /**
     * A second service: {@code POST /withdraw} waits until two withdrawals are in (so they really overlap) and
     * takes 100 from one balance without a lock; {@code POST /deposit} adds 10 to a till, also without a lock.
     * Prints its port and serves until stdin closes. (It does not read the totals at the end: that read, outside
     * any request, would itself be concurrent with the requests' writes.)
     */
    static String ledger() throws IOException {
        Ledger ledger = new Ledger();
        Till till = new Till();
        CountDownLatch bothIn = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/withdraw", exchange -> {
            Programs.meet(bothIn);
            int seen = ledger.balance;
            ledger.balance = seen - 100;
            respond(exchange, seen - 100);
        });
        server.createContext("/deposit", exchange -> {
            int seen = till.cash;
            till.cash = seen + 10;
            respond(exchange, seen + 10);
        });
        Programs.serveUntilStdinCloses(server, pool);
        return "served";
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int value) throws IOException {
        byte[] body = Integer.toString(value).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Calls the ledger with OkHttp: two withdrawals from two threads at once, or two deposits one after the other
     * (the second sent after the first's response arrived). Returns the last answers, summed.
     */
    static int okHttpFront(int port, boolean concurrent) throws Exception {
        OkHttpClient http = new OkHttpClient();
        String base = "http://127.0.0.1:" + port;
        int[] answers = new int[2];
        if (concurrent) {
            Thread[] callers = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int slot = i;
                callers[i] = new Thread(() -> answers[slot] = okHttpPost(http, base + "/withdraw"), "caller-" + i);
                callers[i].start();
            }
            for (Thread t : callers) {
                t.join();
            }
        } else {
            answers[0] = okHttpPost(http, base + "/deposit");
            answers[1] = okHttpPost(http, base + "/deposit");
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        return answers[0] + answers[1];
    }

    private static int okHttpPost(OkHttpClient http, String url) {
        Request request = new Request.Builder().url(url).post(RequestBody.create(new byte[0])).build();
        try (Response r = http.newCall(request).execute()) {
            return Integer.parseInt(r.body().string());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
