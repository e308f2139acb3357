package dev.raceway.server;

import static dev.raceway.server.SdkWire.body;
import static dev.raceway.server.SdkWire.functionCall;
import static dev.raceway.server.SdkWire.httpRequest;
import static dev.raceway.server.SdkWire.httpResponse;
import static dev.raceway.server.SdkWire.read;
import static dev.raceway.server.SdkWire.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.SdkWire.Context;
import dev.raceway.server.SdkWire.Sdk;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's precision corpus: scenarios whose truth is known, in both directions (races that must be found,
 * orderings that must not be reported), posted in the wire shapes of the reference SDKs and of our Java SDK to a
 * real server and read back through the HTTP API. Each scenario lives on its own day, and the global analysis is
 * asked for that day only ({@code since}/{@code until}), so the scenarios do not see each other. Run against each
 * storage backend by a subclass.
 */
abstract class PrecisionCorpusTest extends ServerPerClass {
    private static Instant day(int d) {
        return Instant.parse("2030-01-01T10:00:00Z").plus(Duration.ofDays(d));
    }

    private static Instant at(Instant base, long millis) {
        return base.plusMillis(millis);
    }

    private void post(List<String> events, Context... contexts) {
        HttpResponse<String> r = http.postJson("/events", body(events));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JsonTree.obj(r.body())).containsEntry("rejected", List.of());
        for (UUID trace : java.util.Arrays.stream(contexts).map(c -> c.trace).distinct().toList()) {
            long n = java.util.Arrays.stream(contexts).filter(c -> c.trace.equals(trace)).mapToLong(c -> c.ids.size())
                    .sum();
            Http.await("trace " + trace + " stored", () -> server.store().traceEvents(trace).size() >= n);
        }
    }

    private Map<String, Object> global(Instant dayStart) {
        String since = dayStart.minus(Duration.ofHours(10)).toString();
        String until = dayStart.plus(Duration.ofHours(12)).toString();
        HttpResponse<String> r = http.get("/api/analyze/global?since=" + since + "&until=" + until);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonTree.data(r.body());
    }

    private Map<String, Object> traceAnalysis(UUID trace) {
        HttpResponse<String> r = http.get("/api/traces/" + trace);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonTree.map(JsonTree.data(r.body()).get("analysis"));
    }

    private static Map<String, Object> firstDistinct(Map<String, Object> report) {
        return JsonTree.map(JsonTree.list(report.get("distinct_races")).get(0));
    }

    /** A read-modify-write request of {@code sdk} on {@code instance} starting at {@code start}, lasting 30 ms. */
    private static Context transfer(Sdk sdk, String instance, Instant start, String variable, String file,
                                    List<String> out) {
        Context c = new Context(sdk, UUID.randomUUID(), "bank", instance, threadId(sdk), span(), null);
        out.add(c.event(start, httpRequest("POST", "/transfer")));
        out.add(c.event(at(start, 10), read(variable, 7, file + ":20")));
        out.add(c.event(at(start, 20), write(variable, 7, 6, file + ":22")));
        out.add(c.event(at(start, 30), httpResponse(200, sdk == Sdk.TYPESCRIPT ? "30.25" : "30")));
        return c;
    }

    private static String threadId(Sdk sdk) {
        String r = UUID.randomUUID().toString().substring(0, 8);
        return switch (sdk) {
            case TYPESCRIPT -> "node-4242-" + r;
            case PYTHON -> "python-4242-" + r;
            case GO -> UUID.randomUUID().toString();
            case RUST -> "ThreadId(" + (r.hashCode() & 0xff) + ")";
            case JAVA -> "java-4242-" + r;
        };
    }

    private static String span() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    // ---- across traces: real time ------------------------------------------------------------------------------

    @Test
    void sequentialRequestsAnHourApartAreNotRaces() {
        Instant d = day(1);
        for (Sdk sdk : List.of(Sdk.PYTHON, Sdk.TYPESCRIPT, Sdk.GO, Sdk.RUST, Sdk.JAVA)) {
            List<String> events = new ArrayList<>();
            Context a = transfer(sdk, "bank-1", d, "acct." + sdk, "bank", events);
            Context b = transfer(sdk, "bank-1", d.plus(Duration.ofHours(1)), "acct." + sdk, "bank", events);
            // and on another instance, an hour later still
            Context c = transfer(sdk, "bank-2", d.plus(Duration.ofHours(2)), "acct." + sdk, "bank", events);
            post(events, a, b, c);
        }
        Map<String, Object> g = global(d);
        assertThat(g).containsEntry("potential_races", 0L).containsEntry("critical_races", 0L)
                .containsEntry("distinct_race_count", 0L).containsEntry("shown", 0L).containsEntry("total", 0L);
        assertThat(g.get("analyzed_traces")).isEqualTo(15L);
    }

    @Test
    void overlappingRequestsLoseAnUpdate() {
        Instant d = day(2);
        List<String> events = new ArrayList<>();
        Context a = transfer(Sdk.TYPESCRIPT, "node-1", d, "acct.bob", "bank.js", events);
        Context b = transfer(Sdk.TYPESCRIPT, "node-1", at(d, 12), "acct.bob", "bank.js", events);
        // what JavaScript callers send: a FunctionCall whose undefined args JSON.stringify dropped
        events.add(a.event(at(d, 31), functionCall("audit", "bank.js", 40, null)));
        post(events, a, b);
        Map<String, Object> g = global(d);
        assertThat(g).containsEntry("critical_races", 1L).containsEntry("potential_races", 3L)
                .containsEntry("distinct_race_count", 2L).containsEntry("shown", 3L).containsEntry("total", 3L);
        Map<String, Object> lost = firstDistinct(g);
        assertThat(lost).containsEntry("severity", "CRITICAL").containsEntry("occurrences", 1L)
                .containsEntry("traces", 2L).containsEntry("locations", List.of("bank.js:22", "bank.js:22"))
                .containsEntry("accesses", List.of("Write", "Write")).containsEntry("variables", List.of("acct.bob"));
    }

    @Test
    void aShortRequestDuringALongJobOnAnotherInstanceRaces() {
        Instant d = day(3);
        List<String> events = new ArrayList<>();
        Context job = new Context(Sdk.PYTHON, UUID.randomUUID(), "bank", "worker-1", threadId(Sdk.PYTHON), span(),
                null);
        events.add(job.event(at(d, 1000), write("acct.carol", 7, 6, "jobs.py:8")));
        events.add(job.event(at(d, 60_000), functionCall("nightly", "jobs.py", 3, "{}"), 59_500_000_000L));
        Context req = transfer(Sdk.GO, "api-1", at(d, 30_000), "acct.carol", "bank.go", events);
        post(events, job, req);
        Map<String, Object> g = global(d);
        assertThat(g).containsEntry("critical_races", 1L).containsEntry("potential_races", 2L);
    }

    // ---- inside one trace: calls and clocks ---------------------------------------------------------------------

    /**
     * The gateway writes order.status, calls inventory, waits, calls payment (both write it), and writes it again
     * after both returned — or, with {@code parallel}, calls both at once.
     */
    private UUID downstream(Sdk sdk, int dayNumber, boolean parallel) {
        Instant d = day(dayNumber);
        List<String> events = new ArrayList<>();
        Context gw = new Context(sdk, UUID.randomUUID(), "gateway", "gw-1", threadId(sdk), span(), null);
        events.add(gw.event(d, httpRequest("POST", "/orders")));
        events.add(gw.event(at(d, 2), write("order.status", "\"new\"", "\"placed\"", "gateway:30")));
        Context inv = gw.callee(sdk, "inventory", "inv-1", threadId(sdk), span());
        events.add(inv.event(at(d, 5), httpRequest("POST", "/reserve")));
        events.add(inv.event(at(d, 9), write("order.status", "\"placed\"", "\"reserved\"", "inventory:12")));
        long payAt = parallel ? 6 : 300;
        Context pay = gw.callee(sdk, "payment", "pay-1", threadId(sdk), span());
        events.add(pay.event(at(d, payAt), httpRequest("POST", "/charge")));
        events.add(pay.event(at(d, payAt + 5), write("order.status", "\"reserved\"", "\"paid\"", "payment:40")));
        events.add(gw.event(at(d, 600), write("order.status", "\"paid\"", "\"confirmed\"", "gateway:44")));
        post(events, gw, inv, pay);
        return gw.trace;
    }

    @Test
    void sequentialDownstreamCallsAreNotRaces() {
        int dayNumber = 10;
        for (Sdk sdk : List.of(Sdk.GO, Sdk.PYTHON, Sdk.TYPESCRIPT, Sdk.RUST, Sdk.JAVA)) {
            UUID trace = downstream(sdk, dayNumber++, false);
            assertThat(traceAnalysis(trace)).as(sdk.name()).containsEntry("potential_races", 0L)
                    .containsEntry("distinct_race_count", 0L);
        }
        assertThat(global(day(10))).containsEntry("distinct_race_count", 0L);
    }

    @Test
    void parallelDownstreamCallsRace() {
        UUID trace = downstream(Sdk.GO, 20, true);
        Map<String, Object> a = traceAnalysis(trace);
        assertThat(a).containsEntry("critical_races", 1L).containsEntry("potential_races", 1L)
                .containsEntry("distinct_race_count", 1L);
        assertThat(firstDistinct(a)).containsEntry("locations", List.of("inventory:12", "payment:40"));
    }

    /** One caller, two parallel calls to one callee instance; both handlers read 7 and write 6. */
    private UUID parallelHandlers(Sdk calleeSdk, int dayNumber) {
        Instant d = day(dayNumber);
        List<String> events = new ArrayList<>();
        Context caller = new Context(Sdk.PYTHON, UUID.randomUUID(), "shop", "shop-1", threadId(Sdk.PYTHON), span(),
                null);
        events.add(caller.event(d, httpRequest("POST", "/checkout")));
        Context h1 = caller.callee(calleeSdk, "stock", "stock-1", threadId(calleeSdk), span());
        Context h2 = caller.callee(calleeSdk, "stock", "stock-1", threadId(calleeSdk), span());
        events.add(h1.event(at(d, 5), read("stock.widget", 7, "stock:10")));
        events.add(h2.event(at(d, 6), read("stock.widget", 7, "stock:10")));
        events.add(h1.event(at(d, 8), write("stock.widget", 7, 6, "stock:11")));
        events.add(h2.event(at(d, 9), write("stock.widget", 7, 6, "stock:11")));
        post(events, caller, h1, h2);
        return caller.trace;
    }

    @Test
    void parallelHandlersSharingAPerProcessClockStillLoseAnUpdate() {
        for (Sdk sdk : List.of(Sdk.PYTHON, Sdk.GO, Sdk.RUST, Sdk.JAVA)) {
            Map<String, Object> a = traceAnalysis(parallelHandlers(sdk, 30 + sdk.ordinal()));
            assertThat(a).as(sdk.name()).containsEntry("critical_races", 1L).containsEntry("potential_races", 3L)
                    .containsEntry("distinct_race_count", 2L);
            assertThat(firstDistinct(a)).as(sdk.name()).containsEntry("severity", "CRITICAL")
                    .containsEntry("locations", List.of("stock:11", "stock:11"));
        }
    }

    @Test
    void aSpanEdgeNeverStartsAtAnEventTheClocksPlaceAfterTheCallee() {
        for (Sdk sdk : List.of(Sdk.RUST, Sdk.JAVA)) {
            Instant d = day(40 + sdk.ordinal());
            List<String> events = new ArrayList<>();
            Context caller = new Context(sdk, UUID.randomUUID(), "api", "api-1", threadId(sdk), span(), null);
            Context callee = caller.callee(sdk, "ledger", "ledger-1", threadId(sdk), span());
            // the callee's read is stamped before every caller event; the caller saw the callee's clock (a
            // response clock) before its write
            events.add(callee.event(d, read("ledger.total", 1, "ledger:5")));
            caller.vector.putAll(callee.vector);
            events.add(caller.event(at(d, 20), write("ledger.total", 1, 2, "api:9")));
            post(events, caller, callee);
            Map<String, Object> a = traceAnalysis(caller.trace);
            // per-process clocks cannot order them, so they race; per-context clocks order read → write
            assertThat(a).as(sdk.name()).containsEntry("potential_races", sdk == Sdk.JAVA ? 0L : 1L);
        }
    }

    @Test
    void parentLinksWinOverTimestamps() {
        Instant d = day(50);
        List<String> events = new ArrayList<>();
        Context c = new Context(Sdk.TYPESCRIPT, UUID.randomUUID(), "web", "node-1", threadId(Sdk.TYPESCRIPT), span(),
                null);
        events.add(c.event(at(d, 100), httpRequest("GET", "/report"), 1_000_000L));
        for (int i = 1; i < 8; i++) {
            // each child stamped a millisecond before its parent, as the TypeScript SDK can
            events.add(c.event(at(d, 100 - i), functionCall("step" + i, "report.js", i, null), 1_000_000L));
        }
        post(events, c);
        HttpResponse<String> r = http.get("/api/traces/" + c.trace + "/critical-path");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> cp = JsonTree.data(r.body());
        assertThat(cp).containsEntry("path_events", 8L);
        assertThat(JsonTree.map(JsonTree.list(cp.get("path")).get(0))).containsEntry("id", c.ids.get(0).toString());
    }

    @Test
    void badTimeRangesAreRejectedWithTheReason() {
        HttpResponse<String> r = http.get("/api/analyze/global?since=yesterday");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("since").contains("RFC 3339");
        HttpResponse<String> reversed = http.get("/api/analyze/global?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z");
        assertThat(reversed.statusCode()).isEqualTo(400);
    }
}
