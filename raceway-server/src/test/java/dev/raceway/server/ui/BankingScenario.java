package dev.raceway.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The known scenario the browser tests look at, posted through {@code POST /events} like an SDK would:
 * <ul>
 *   <li>traces A and B: two concurrent transfer requests of the banking example, each reading then writing
 *       {@code alice.balance} on its own request thread (a lost update: both read 1000, both write 900);</li>
 *   <li>trace C: {@code gateway} calls {@code payments}; the chain POST /checkout → POST /charge → UPDATE is the
 *       critical path across both services, and two payments threads write {@code ledger.total} unordered
 *       (a race inside the trace).</li>
 * </ul>
 */
final class BankingScenario {
    static final String BALANCE = "alice.balance";
    static final String LEDGER = "ledger.total";

    final UUID traceA = UUID.randomUUID();
    final UUID traceB = UUID.randomUUID();
    final UUID traceC = UUID.randomUUID();

    final UUID transferA = UUID.randomUUID();
    final UUID readA = UUID.randomUUID();
    final UUID writeA = UUID.randomUUID();
    final UUID transferB = UUID.randomUUID();
    final UUID readB = UUID.randomUUID();
    final UUID writeB = UUID.randomUUID();

    final UUID checkout = UUID.randomUUID();
    final UUID validate = UUID.randomUUID();
    final UUID charge = UUID.randomUUID();
    final UUID update = UUID.randomUUID();
    final UUID ledgerWrite7 = UUID.randomUUID();
    final UUID ledgerWrite8 = UUID.randomUUID();
    final UUID response = UUID.randomUUID();

    /** Events the critical path must pass through, in this order (it may include more in between). */
    final List<UUID> criticalPathThrough = List.of(checkout, charge, update);

    private final Instant base = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MICROS);
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    String eventsJson() {
        ArrayNode events = json.arrayNode();
        // Trace A and B interleave: both read before either writes.
        events.add(event(transferA, traceA, null, 0, "banking-api", "http-1", 6_000_000L, null, null,
                functionCall("transfer", "BankingService.java", 41)));
        events.add(event(readA, traceA, transferA, 1_000, "banking-api", "http-1", null, null, null,
                stateChange(BALANCE, null, 1000, "BankingService.java:44", "Read")));
        events.add(event(writeA, traceA, readA, 4_000, "banking-api", "http-1", null, null, null,
                stateChange(BALANCE, 1000, 900, "BankingService.java:47", "Write")));
        events.add(event(transferB, traceB, null, 500, "banking-api", "http-2", 6_000_000L, null, null,
                functionCall("transfer", "BankingService.java", 41)));
        events.add(event(readB, traceB, transferB, 1_500, "banking-api", "http-2", null, null, null,
                stateChange(BALANCE, null, 1000, "BankingService.java:44", "Read")));
        events.add(event(writeB, traceB, readB, 4_500, "banking-api", "http-2", null, null, null,
                stateChange(BALANCE, 1000, 900, "BankingService.java:47", "Write")));

        // Trace C: gateway → payments.
        long c = 20_000; // µs after base
        events.add(event(checkout, traceC, null, c, "gateway", "gw-1", 40_000_000L, "a1b2c3d4e5f60718", null,
                httpRequest("POST", "/checkout")));
        events.add(event(validate, traceC, checkout, c + 1_000, "gateway", "gw-1", 2_000_000L, "a1b2c3d4e5f60718", null,
                functionCall("validate", "Gateway.java", 12)));
        events.add(event(charge, traceC, checkout, c + 5_000, "payments", "pay-7", 30_000_000L, "0f1e2d3c4b5a6978",
                "a1b2c3d4e5f60718", httpRequest("POST", "/charge")));
        events.add(event(update, traceC, charge, c + 8_000, "payments", "pay-7", 20_000_000L, "0f1e2d3c4b5a6978", null,
                databaseQuery("UPDATE accounts SET balance = balance - 100 WHERE id = 'alice'", 20)));
        events.add(event(ledgerWrite8, traceC, charge, c + 29_000, "payments", "pay-8", 3_000_000L, "0f1e2d3c4b5a6978", null,
                stateChange(LEDGER, 5, 6, "LedgerService.java:33", "Write")));
        events.add(event(ledgerWrite7, traceC, charge, c + 30_000, "payments", "pay-7", null, "0f1e2d3c4b5a6978", null,
                stateChange(LEDGER, 5, 7, "LedgerService.java:52", "Write")));
        events.add(event(response, traceC, checkout, c + 40_000, "gateway", "gw-1", 1_000_000L, "a1b2c3d4e5f60718", null,
                httpResponse(200, 40)));

        ObjectNode body = json.objectNode();
        body.set("events", events);
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A third transfer request that writes {@code alice.balance} without reading it first (thread http-3), while
     * trace A runs (it used to be 4.5 s later, which issue 14 says must not race: requests one after another).
     */
    String thirdTransferTrace(UUID trace) {
        ObjectNode body = json.objectNode();
        body.putArray("events").add(event(UUID.randomUUID(), trace, null, 3_000, "banking-api", "http-3", null,
                null, null, stateChange(BALANCE, 1000, 800, "BankingService.java:47", "Write")));
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One more trace of a single request event on {@code service}, newer than the scenario. */
    String singleEventTrace(UUID trace, String service) {
        ObjectNode body = json.objectNode();
        body.putArray("events").add(event(UUID.randomUUID(), trace, null, 4_000_000, service, "late-1", 1_000_000L,
                null, null, httpRequest("GET", "/late")));
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A trace whose service, thread, variable and values are HTML/JS markup, to prove the UI shows server strings
     * as text. Executing any of it sets {@code window.__injected}.
     */
    String markupTrace(UUID trace) {
        String markup = "<img src=x onerror=\"window.__injected=1\">";
        ObjectNode body = json.objectNode();
        ArrayNode events = body.putArray("events");
        UUID root = UUID.randomUUID();
        events.add(event(root, trace, null, 4_100_000, "svc" + markup, "t" + markup, 1_000_000L, null, null,
                functionCall("f" + markup, "F.java", 1)));
        ObjectNode sc = stateChange("v" + markup, null, 1, "L" + markup, "Write");
        ((ObjectNode) sc.get("StateChange")).put("new_value", "<script>window.__injected=2</script>");
        events.add(event(UUID.randomUUID(), trace, root, 4_100_100, "svc" + markup, "t" + markup, null, null, null, sc));
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A trace where thread "t-1" takes lock {@code accounts} then {@code ledger} while thread "t-2" takes them in the
     * opposite order, nothing ordering the two threads: a lock-order cycle (potential deadlock).
     */
    String lockOrderTrace(UUID trace) {
        ObjectNode body = json.objectNode();
        ArrayNode events = body.putArray("events");
        UUID root = UUID.randomUUID();
        events.add(event(root, trace, null, 4_200_000, "ledger-svc", "main", 5_000_000L, null, null,
                functionCall("settle", "Settle.java", 10)));
        String[][] steps = {
            {"t-1", "LockAcquire", "accounts", "Settle.java:20"}, {"t-1", "LockAcquire", "ledger", "Settle.java:21"},
            {"t-1", "LockRelease", "ledger", "Settle.java:23"}, {"t-1", "LockRelease", "accounts", "Settle.java:24"},
            {"t-2", "LockAcquire", "ledger", "Audit.java:30"}, {"t-2", "LockAcquire", "accounts", "Audit.java:31"},
            {"t-2", "LockRelease", "accounts", "Audit.java:33"}, {"t-2", "LockRelease", "ledger", "Audit.java:34"},
        };
        UUID[] last = {root, root};
        long t = 4_200_100;
        for (String[] step : steps) {
            int thread = step[0].equals("t-1") ? 0 : 1;
            UUID id = UUID.randomUUID();
            ObjectNode k = kind(step[1]);
            ObjectNode p = (ObjectNode) k.get(step[1]);
            p.put("lock_id", step[2]);
            p.put("lock_type", "Mutex");
            p.put("location", step[3]);
            events.add(event(id, trace, last[thread], t, "ledger-svc", step[0], null, null, null, k));
            last[thread] = id;
            t += 100;
        }
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Six traces whose {@code lookup} call takes about 10 ms and one ({@code outlier}) where it takes 300 ms: enough
     * samples for a latency baseline, and one event far outside it.
     */
    String latencyTraces(UUID outlier, UUID outlierEvent) {
        ObjectNode body = json.objectNode();
        ArrayNode events = body.putArray("events");
        long[] normalMs = {9, 10, 11, 10, 12, 9};
        for (int i = 0; i < normalMs.length; i++) {
            events.add(event(UUID.randomUUID(), UUID.randomUUID(), null, 3_000_000 + i * 1_000, "catalog", "w-" + i,
                    normalMs[i] * 1_000_000L, null, null, functionCall("lookup", "Catalog.java", 7)));
        }
        events.add(event(outlierEvent, outlier, null, 3_900_000, "catalog", "w-9", 300_000_000L, null, null,
                functionCall("lookup", "Catalog.java", 7)));
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode event(UUID id, UUID trace, UUID parent, long offsetMicros, String service, String thread,
                             Long durationNs, String span, String upstreamSpan, ObjectNode kind) {
        ObjectNode e = json.objectNode();
        e.put("id", id.toString());
        e.put("trace_id", trace.toString());
        if (parent == null) {
            e.putNull("parent_id");
        } else {
            e.put("parent_id", parent.toString());
        }
        e.put("timestamp", base.plus(offsetMicros, ChronoUnit.MICROS).toString());
        e.set("kind", kind);
        ObjectNode md = e.putObject("metadata");
        md.put("thread_id", thread);
        md.put("process_id", 4242);
        md.put("service_name", service);
        md.put("environment", "test");
        md.putObject("tags").put("sdk_language", "java");
        if (durationNs == null) {
            md.putNull("duration_ns");
        } else {
            md.put("duration_ns", durationNs);
        }
        if (span != null) {
            md.put("instance_id", service + "-1");
            md.put("distributed_span_id", span);
        }
        if (upstreamSpan != null) {
            md.put("upstream_span_id", upstreamSpan);
        }
        e.putArray("causality_vector");
        e.putArray("lock_set");
        return e;
    }

    private ObjectNode kind(String name) {
        ObjectNode k = json.objectNode();
        k.putObject(name);
        return k;
    }

    private ObjectNode functionCall(String function, String file, int line) {
        ObjectNode k = kind("FunctionCall");
        ObjectNode p = (ObjectNode) k.get("FunctionCall");
        p.put("function_name", function);
        p.put("module", "example");
        p.putObject("args").put("amount", 100);
        p.put("file", file);
        p.put("line", line);
        return k;
    }

    private ObjectNode stateChange(String variable, Integer oldValue, int newValue, String location, String access) {
        ObjectNode k = kind("StateChange");
        ObjectNode p = (ObjectNode) k.get("StateChange");
        p.put("variable", variable);
        if (oldValue == null) {
            p.putNull("old_value");
        } else {
            p.put("old_value", oldValue);
        }
        p.put("new_value", newValue);
        p.put("location", location);
        p.put("access_type", access);
        return k;
    }

    private ObjectNode httpRequest(String method, String url) {
        ObjectNode k = kind("HttpRequest");
        ObjectNode p = (ObjectNode) k.get("HttpRequest");
        p.put("method", method);
        p.put("url", url);
        p.putObject("headers").put("content-type", "application/json");
        p.putNull("body");
        return k;
    }

    private ObjectNode httpResponse(int status, long durationMs) {
        ObjectNode k = kind("HttpResponse");
        ObjectNode p = (ObjectNode) k.get("HttpResponse");
        p.put("status", status);
        p.putObject("headers");
        p.putNull("body");
        p.put("duration_ms", durationMs);
        return k;
    }

    private ObjectNode databaseQuery(String query, long durationMs) {
        ObjectNode k = kind("DatabaseQuery");
        ObjectNode p = (ObjectNode) k.get("DatabaseQuery");
        p.put("query", query);
        p.put("database", "accounts");
        p.put("duration_ms", durationMs);
        return k;
    }
}
