package dev.raceway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.examples.background.BackgroundApp;
import dev.raceway.examples.banking.BankingApp;
import dev.raceway.examples.banking.TransferMode;
import dev.raceway.examples.distributed.DistributedExample;
import dev.raceway.examples.support.Http;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The example services answer bad requests with a 4xx and a reason, never a 500 or a hang. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private RacewayUnderTest raceway;
    private BankingApp banking;
    private DistributedExample distributed;
    private BackgroundApp background;

    @BeforeAll
    void start() throws InterruptedException {
        raceway = RacewayUnderTest.start();
        banking = BankingApp.start(raceway.url(), 0, TransferMode.RACY, Duration.ofMillis(1));
        distributed = DistributedExample.start(raceway.url(), 0, 0, 0, Duration.ofMillis(1));
        background = BackgroundApp.start(raceway.url(), 0);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {background, distributed, banking, raceway}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private URI bank(String path) {
        return banking.baseUri().resolve(path);
    }

    private static void assertError(RacewayApi.Answer a, int status, String reason) {
        assertThat(a.status()).as("%s", a.body()).isEqualTo(status);
        assertThat(a.body().path("success").asBoolean(true)).isFalse();
        assertThat(a.body().path("error").asText()).contains(reason);
    }

    @Test
    void theDriversHintNamesTheRacewayServerTheBankReportsTo() throws Exception {
        assertThat(dev.raceway.examples.banking.TransferDriver.racewayOf(banking.baseUri()))
                .isEqualTo(raceway.url().replaceAll("/+$", ""));
    }

    @Test
    void transferWithMalformedJsonIs400() {
        assertError(Http.post(bank("/api/transfer"), "{\"from\":"), 400, "malformed JSON body");
    }

    @Test
    void transferWithoutAmountIs400() {
        assertError(Http.postJson(bank("/api/transfer"), Map.of("from", "alice", "to", "bob")), 400,
                "from, to and amount are required");
    }

    @Test
    void transferOfANonPositiveAmountIs400() {
        assertError(Http.postJson(bank("/api/transfer"), Map.of("from", "alice", "to", "bob", "amount", -5)), 400,
                "amount must be positive");
    }

    @Test
    void transferToTheSameAccountIs400() {
        assertError(Http.postJson(bank("/api/transfer"), Map.of("from", "alice", "to", "alice", "amount", 5)), 400,
                "different accounts");
    }

    @Test
    void transferFromAnUnknownAccountIs404() {
        assertError(Http.postJson(bank("/api/transfer"), Map.of("from", "mallory", "to", "bob", "amount", 5)), 404,
                "unknown account 'mallory'");
    }

    @Test
    void transferBeyondTheBalanceIsRefusedWith409() {
        RacewayApi.Answer a = Http.postJson(bank("/api/transfer"),
                Map.of("from", "charlie", "to", "bob", "amount", 1_000_000));
        assertError(a, 409, "insufficient funds");
        assertThat(Http.get(bank("/api/balance/charlie")).body().path("balance").asLong()).isEqualTo(300);
    }

    @Test
    void balanceOfAnUnknownAccountIs404() {
        assertError(Http.get(bank("/api/balance/nobody")), 404, "unknown account 'nobody'");
    }

    @Test
    void orderWithoutIdIs400() {
        assertError(Http.postJson(distributed.gatewayUri().resolve("/api/order"), Map.of("sku", "widget")), 400,
                "order_id and sku are required");
        assertError(Http.post(distributed.gatewayUri().resolve("/api/order"), "not json"), 400,
                "malformed JSON body");
    }

    @Test
    void unknownBackgroundVariantIs404WithTheValidOnes() {
        RacewayApi.Answer a = Http.post(background.baseUri().resolve("/jobs/sometimes"), "{}");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.body().path("error").asText()).contains("/jobs/carried");
        assertThat(Http.post(background.baseUri().resolve("/spawn/eventually"), "{}").status()).isEqualTo(404);
    }
}
