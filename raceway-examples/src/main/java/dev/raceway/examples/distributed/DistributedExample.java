package dev.raceway.examples.distributed;

import dev.raceway.examples.common.ExampleArgs;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.okhttp.RacewayInterceptor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The guide's distributed example: api-gateway → inventory-service and payment-service. Three HTTP servers, three
 * SDK clients (one per service name), one shared order database; an order is one trace across all three services.
 *
 * <pre>./raceway-examples/run distributed --gateway-port=3000 --inventory-port=3001 --payment-port=3002</pre>
 */
public final class DistributedExample implements AutoCloseable {
    private final List<RacewayClient> clients;
    private final List<WebServer> servers;
    private final ExecutorService calls;
    private final OkHttpClient http;
    private final WebServer gateway;

    private DistributedExample(List<RacewayClient> clients, List<WebServer> servers, ExecutorService calls,
                               OkHttpClient http, WebServer gateway) {
        this.clients = clients;
        this.servers = servers;
        this.calls = calls;
        this.http = http;
        this.gateway = gateway;
    }

    /** Starts the three services (ports 0 = any free port) reporting to {@code racewayUrl}. */
    public static DistributedExample start(String racewayUrl, int gatewayPort, int inventoryPort, int paymentPort,
                                           Duration dbLatency) {
        List<RacewayClient> clients = new ArrayList<>();
        List<WebServer> servers = new ArrayList<>();
        OrderDatabase db = new OrderDatabase(dbLatency);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ExecutorService calls = RacewayContext.taskWrapping(pool);
        OkHttpClient http = null;
        try {
            RacewayClient inventoryClient = client(racewayUrl, InventoryService.NAME, clients);
            WebServer inventory = InventoryService.start(inventoryPort, db, inventoryClient);
            servers.add(inventory);
            RacewayClient paymentClient = client(racewayUrl, PaymentService.NAME, clients);
            WebServer payment = PaymentService.start(paymentPort, db, paymentClient);
            servers.add(payment);
            RacewayClient gatewayClient = client(racewayUrl, GatewayService.NAME, clients);
            http = new OkHttpClient.Builder().addInterceptor(new RacewayInterceptor(gatewayClient))
                    .callTimeout(Duration.ofSeconds(30)).build();
            WebServer gateway = GatewayService.start(gatewayPort, db, gatewayClient, http, calls,
                    inventory.baseUri(), payment.baseUri());
            servers.add(gateway);
            return new DistributedExample(clients, servers, calls, http, gateway);
        } catch (RuntimeException e) {
            servers.forEach(WebServer::close);
            clients.forEach(RacewayClient::close);
            calls.shutdownNow();
            throw e;
        }
    }

    private static RacewayClient client(String racewayUrl, String service, List<RacewayClient> clients) {
        RacewayClient c = RacewayClient.builder(racewayUrl, service).build();
        clients.add(c);
        return c;
    }

    public URI gatewayUri() {
        return gateway.baseUri();
    }

    /** Sends every event recorded so far by the three services; false if some client timed out. */
    public boolean flush() {
        boolean all = true;
        for (RacewayClient c : clients) {
            all &= c.flush();
        }
        return all;
    }

    @Override
    public void close() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
        calls.shutdown();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        clients.forEach(RacewayClient::close);
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs.main("distributed", args, DistributedExample::main, "raceway", "gateway-port", "inventory-port",
                "payment-port", "latency-ms");
    }

    private static void main(ExampleArgs a) throws InterruptedException {
        String racewayUrl = a.url("raceway", "http://127.0.0.1:8080");
        int latency = a.integer("latency-ms", 50);
        if (latency < 0) {
            throw new ExampleArgs.BadOption("--latency-ms must not be negative, got " + latency);
        }
        DistributedExample example = start(racewayUrl, a.port("gateway-port", 3000),
                a.port("inventory-port", 3001), a.port("payment-port", 3002), Duration.ofMillis(latency));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            example.close();
            stopped.countDown();
        }, "distributed-shutdown"));
        System.out.printf("""
                api-gateway on %s (inventory-service and payment-service next to it), reporting to %s
                  place an order:  curl -s -X POST %s/api/order -H 'Content-Type: application/json' \\
                                     -d '{"order_id":"order-1","sku":"widget","quantity":1,"amount":2500}'
                  the answer's trace_id is one trace with events of all three services:
                                   curl -s %s/api/traces/<trace_id>
                Ctrl-C to stop.
                """, example.gatewayUri(), racewayUrl, example.gatewayUri(), racewayUrl);
        stopped.await();
    }
}
