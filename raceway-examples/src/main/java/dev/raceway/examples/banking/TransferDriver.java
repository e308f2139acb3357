package dev.raceway.examples.banking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.common.ExampleArgs;
import dev.raceway.examples.common.JsonBodies;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Fires N transfers at the banking service at the same moment, then compares the balances with what they should be.
 *
 * <pre>./raceway-examples/run banking-driver --url=http://127.0.0.1:3000 --transfers=5 --amount=100</pre>
 */
public final class TransferDriver {
    private static final MediaType JSON = MediaType.get("application/json");

    private TransferDriver() {
    }

    /**
     * What a run did.
     *
     * @param transfers      every transfer's JSON answer
     * @param succeeded      transfers the service answered with success
     * @param expectedFrom   the source balance if every successful debit had been kept
     * @param actualFrom     the source balance afterwards
     */
    public record Outcome(List<JsonNode> transfers, int succeeded, long expectedFrom, long actualFrom) {
        public boolean lostUpdate() {
            return expectedFrom != actualFrom;
        }

        public List<String> traceIds() {
            return transfers.stream().map(t -> t.path("trace_id").asText()).toList();
        }
    }

    /** Sends {@code count} transfers of {@code amount} from {@code from} to {@code to}, all released at once. */
    public static Outcome run(URI service, String from, String to, long amount, int count)
            throws IOException, InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(count);
        OkHttpClient http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(count, 1, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        ExecutorService senders = Executors.newFixedThreadPool(count);
        try {
            long before = balance(http, service, from);
            CountDownLatch go = new CountDownLatch(1);
            String body = JsonBodies.MAPPER.writeValueAsString(Map.of("from", from, "to", to, "amount", amount));
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(senders.submit(() -> {
                    go.await();
                    Request request = new Request.Builder().url(service.resolve("/api/transfer").toString())
                            .post(RequestBody.create(body, JSON)).build();
                    try (Response response = http.newCall(request).execute()) {
                        return JsonBodies.parse(response.body().string());
                    }
                }));
            }
            go.countDown();
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> call : calls) {
                answers.add(call.get(60, TimeUnit.SECONDS));
            }
            int succeeded = (int) answers.stream().filter(a -> a.path("success").asBoolean()).count();
            long after = balance(http, service, from);
            return new Outcome(answers, succeeded, before - succeeded * amount, after);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("a transfer failed: " + e, e);
        } finally {
            senders.shutdownNow();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** The Raceway server the banking service reports to, as its {@code GET /api/accounts} says. */
    public static String racewayOf(URI service) throws IOException {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        try (Response response = http.newCall(new Request.Builder()
                .url(service.resolve("/api/accounts").toString()).build()).execute()) {
            return JsonBodies.parse(response.body().string()).path("raceway").asText("http://127.0.0.1:8080");
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static long balance(OkHttpClient http, URI service, String account) throws IOException {
        Request request = new Request.Builder().url(service.resolve("/api/balance/" + account).toString()).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException("GET /api/balance/" + account + " answered " + response.code() + ": " + text);
            }
            return JsonBodies.parse(text).path("balance").asLong();
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs.main("banking-driver", args, TransferDriver::main, "url", "transfers", "amount", "from", "to");
    }

    private static void main(ExampleArgs a) throws Exception {
        URI service = URI.create(a.url("url", "http://127.0.0.1:3000"));
        String from = a.string("from", "alice");
        int transfers = a.integer("transfers", 5);
        if (transfers < 1) {
            throw new ExampleArgs.BadOption("--transfers must be at least 1, got " + transfers);
        }
        Outcome o;
        String raceway;
        try {
            o = run(service, from, a.string("to", "bob"), a.integer("amount", 100), transfers);
            raceway = racewayOf(service);
        } catch (IOException e) {
            System.err.println("banking-driver: cannot talk to the banking service at " + service + " ("
                    + e.getMessage() + "); is `raceway-examples/run banking` running there?");
            System.exit(1);
            return;
        }
        for (JsonNode t : o.transfers()) {
            System.out.printf("  %-7s read %s, wrote %s   trace %s%n", t.path("success").asBoolean() ? "ok" : "refused",
                    t.path("from_balance_read").asText(), t.path("from_balance_written").asText(),
                    t.path("trace_id").asText());
        }
        System.out.printf("%d of %d transfers succeeded; %s should have %d, has %d%n", o.succeeded(),
                o.transfers().size(), from, o.expectedFrom(), o.actualFrom());
        System.out.println(o.lostUpdate()
                ? "LOST UPDATE: " + (o.actualFrom() - o.expectedFrom()) + " was never debited. Ask Raceway: "
                        + "curl -s " + raceway + "/api/analyze/global   (or open " + raceway + "/)"
                : "No update lost.");
    }
}
