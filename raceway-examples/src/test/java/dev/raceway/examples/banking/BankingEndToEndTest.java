package dev.raceway.examples.banking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import dev.raceway.examples.support.Races;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The banking service against a real Raceway server: concurrent transfers from alice, each request its own trace.
 * Each test has its own server, so global analysis sees only that test's traces.
 */
class BankingEndToEndTest {
    private static final Duration LATENCY = Duration.ofMillis(300);
    private static final int TRANSFERS = 5;
    /** HttpRequest, FunctionCall(transfer), Read+Write alice, Read+Write bob, HttpResponse. */
    private static final int RACY_EVENTS_PER_TRANSFER = 7;
    /** The same plus LockAcquire and LockRelease. */
    private static final int FIXED_EVENTS_PER_TRANSFER = 9;

    private RacewayUnderTest raceway;
    private RacewayApi api;

    @BeforeEach
    void startRaceway() throws InterruptedException {
        raceway = RacewayUnderTest.start();
        api = raceway.api();
    }

    @AfterEach
    void stopRaceway() {
        raceway.close();
    }

    @Test
    void racyTransfersLoseAnUpdateThatRacewayReportsAsCriticalCrossTraceRaceOnAliceBalance() throws Exception {
        TransferDriver.Outcome outcome;
        try (BankingApp app = BankingApp.start(raceway.url(), 0, TransferMode.RACY, LATENCY)) {
            outcome = TransferDriver.run(app.baseUri(), "alice", "bob", 100, TRANSFERS);
            assertThat(app.raceway().flush()).as("SDK flushed").isTrue();
        }
        // The application itself shows the bug: every transfer succeeded, alice lost fewer than 5 × 100.
        assertThat(outcome.succeeded()).isEqualTo(TRANSFERS);
        assertThat(outcome.lostUpdate()).as("final balance differs from the expected one").isTrue();
        assertThat(outcome.actualFrom()).isGreaterThan(outcome.expectedFrom());

        List<String> traces = outcome.traceIds();
        assertThat(traces).doesNotHaveDuplicates().hasSize(TRANSFERS);
        traces.forEach(t -> api.awaitTrace(t, RACY_EVENTS_PER_TRANSFER));

        // Global analysis: a write-write race on alice.balance between two of the transfer traces.
        JsonNode global = api.await("a CRITICAL cross-trace race on alice.balance", api::globalAnalysis,
                g -> !Races.crossTrace(g, "alice.balance", "CRITICAL", traces).isEmpty());
        assertThat(Races.crossTrace(global, "alice.balance", "CRITICAL", traces))
                .allSatisfy(r -> assertThat(r.path("description").asText()).contains("alice.balance"));

        // Two transfers that read the same balance: the lost update, visible in both traces.
        List<JsonNode> pair = sameReadPair(outcome.transfers());
        long read = pair.get(0).path("from_balance_read").asLong();
        for (JsonNode transfer : pair) {
            String trace = transfer.path("trace_id").asText();
            JsonNode trail = api.auditTrail(trace, "alice.balance").path("accesses");
            assertThat(trail).as("audit trail of alice.balance in trace %s", trace).hasSize(2);
            assertThat(trail.get(0).path("access_type").asText()).isEqualTo("Read");
            assertThat(trail.get(0).path("new_value").asLong()).isEqualTo(read);
            assertThat(trail.get(1).path("access_type").asText()).isEqualTo("Write");
            assertThat(trail.get(1).path("old_value").asLong()).isEqualTo(read);
            assertThat(trail.get(1).path("new_value").asLong()).isEqualTo(read - 100);

            // The per-trace view of the request shows the race too.
            JsonNode bundle = api.trace(trace);
            assertThat(Races.inTraceBundle(bundle, "alice.balance", "CRITICAL"))
                    .as("races on alice.balance in the analysis of trace %s: %s", trace, bundle.path("analysis"))
                    .isNotEmpty();
        }
    }

    @Test
    void fixedTransfersUnderTrackedLockKeepEveryUpdateAndRacewayReportsNoRaceOnAliceBalance() throws Exception {
        TransferDriver.Outcome outcome;
        try (BankingApp app = BankingApp.start(raceway.url(), 0, TransferMode.FIXED, Duration.ofMillis(50))) {
            outcome = TransferDriver.run(app.baseUri(), "alice", "bob", 100, TRANSFERS);
            assertThat(app.raceway().flush()).as("SDK flushed").isTrue();
        }
        assertThat(outcome.succeeded()).isEqualTo(TRANSFERS);
        assertThat(outcome.lostUpdate()).isFalse();
        assertThat(outcome.actualFrom()).isEqualTo(1000 - TRANSFERS * 100);

        List<String> traces = outcome.traceIds();
        for (String t : traces) {
            JsonNode bundle = api.awaitTrace(t, FIXED_EVENTS_PER_TRANSFER);
            assertThat(RacewayApi.events(bundle).stream().map(RacewayApi::kindName).toList())
                    .contains("LockAcquire", "LockRelease");
        }
        JsonNode global = api.await("global analysis over all transfer traces", api::globalAnalysis,
                g -> g.path("total_traces").asInt() >= TRANSFERS);
        assertThat(Races.onVariable(global, "alice.balance")).as("races on alice.balance: %s", global).isEmpty();
        assertThat(Races.onVariable(global, "bob.balance")).isEmpty();
        for (String t : traces) {
            JsonNode trail = api.auditTrail(t, "alice.balance").path("accesses");
            assertThat(trail).hasSize(2);
            trail.forEach(access -> assertThat(access.path("is_race").asBoolean()).isFalse());
        }
    }

    /** Two transfers whose handlers read the same alice balance (there is one when an update was lost). */
    private static List<JsonNode> sameReadPair(List<JsonNode> transfers) {
        Map<Long, List<JsonNode>> byRead = transfers.stream()
                .collect(Collectors.groupingBy(t -> t.path("from_balance_read").asLong()));
        return byRead.values().stream().filter(g -> g.size() >= 2).findFirst()
                .map(g -> new ArrayList<>(g.subList(0, 2)))
                .orElseThrow(() -> new AssertionError("no two transfers read the same balance: " + transfers));
    }
}
