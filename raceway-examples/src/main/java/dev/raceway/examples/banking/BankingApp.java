package dev.raceway.examples.banking;

import dev.raceway.examples.common.ExampleArgs;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The banking service: accounts, {@code POST /api/transfer}, {@code GET /api/balance/{id}}, and a page with a
 * "trigger race" button. Every request is a Raceway trace (servlet filter); transfers report their balance reads
 * and writes.
 *
 * <pre>./raceway-examples/run banking --mode=racy --port=3000 --raceway=http://127.0.0.1:8080</pre>
 */
public final class BankingApp implements AutoCloseable {
    private final RacewayClient raceway;
    private final WebServer server;
    private final Bank bank;

    private BankingApp(RacewayClient raceway, WebServer server, Bank bank) {
        this.raceway = raceway;
        this.server = server;
        this.bank = bank;
    }

    /** Starts the service on {@code port} (0 = any free port), reporting to the Raceway server at {@code racewayUrl}. */
    public static BankingApp start(String racewayUrl, int port, TransferMode mode, Duration latency) {
        RacewayClient raceway = RacewayClient.builder(racewayUrl, "banking-api").build();
        try {
            Bank bank = new Bank(raceway, mode, latency);
            Map<String, HttpServlet> routes = WebServer.routes();
            routes.put("/api/transfer", new BankingServlets.Transfer(bank));
            routes.put("/api/balance/*", new BankingServlets.Balance(bank));
            routes.put("/api/accounts", new BankingServlets.Accounts(bank, racewayUrl));
            routes.put("/", new BankingServlets.Page(racewayUrl));
            WebServer server = WebServer.start("127.0.0.1", port, raceway, routes);
            return new BankingApp(raceway, server, bank);
        } catch (RuntimeException e) {
            raceway.close();
            throw e;
        }
    }

    public URI baseUri() {
        return server.baseUri();
    }

    public TransferMode mode() {
        return bank.mode();
    }

    /** The SDK client (tests flush it before asking the Raceway server). */
    public RacewayClient raceway() {
        return raceway;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            raceway.close();
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs.main("banking", args, BankingApp::main, "mode", "port", "raceway", "latency-ms");
    }

    private static void main(ExampleArgs a) throws InterruptedException {
        TransferMode mode = a.parsed("mode", "racy", TransferMode::parse);
        String racewayUrl = a.url("raceway", "http://127.0.0.1:8080");
        int latency = a.integer("latency-ms", 100);
        if (latency < 0) {
            throw new ExampleArgs.BadOption("--latency-ms must not be negative, got " + latency);
        }
        BankingApp app = start(racewayUrl, a.port("port", 3000), mode, Duration.ofMillis(latency));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "banking-shutdown"));
        System.out.printf("""
                Banking service (%s mode) on %s, reporting to %s
                  page:          %s/
                  transfer:      curl -s -X POST %s/api/transfer -H 'Content-Type: application/json' \\
                                   -d '{"from":"alice","to":"bob","amount":100}'
                  balance:       curl -s %s/api/balance/alice
                  fire a race:   ./raceway-examples/run banking-driver --url=%s --transfers=5
                Ctrl-C to stop.
                """, mode.wireName(), app.baseUri(), racewayUrl, app.baseUri(), app.baseUri(), app.baseUri(),
                app.baseUri());
        stopped.await();
    }
}
