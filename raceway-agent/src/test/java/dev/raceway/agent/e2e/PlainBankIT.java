package dev.raceway.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.plainbank.PlainBank;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The banking example's plain bank (no Raceway calls) under the agent: the lost update is found, the fix is clean. */
class PlainBankIT {
    private static final String ACCOUNT = "PlainBank$Account#";
    private RacewayServer server;

    @BeforeEach
    void startServer() throws InterruptedException {
        server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).durableAck(true).build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private AgentJvm.Run bank(String mode) throws Exception {
        String classes = Path.of(PlainBank.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        AgentJvm.Run run = AgentJvm.run(AgentJvm.command(server, "dev.raceway.examples.plainbank", classes,
                PlainBank.class.getName(), "--mode=" + mode, "--transfers=4", "--latency-ms=20"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        return run;
    }

    @Test
    void racyTransfersAreACriticalRaceOnTheBalance() throws Exception {
        AgentJvm.Run run = bank("racy");
        assertThat(run.stdout()).contains("mode=racy");
        List<JsonNode> races = AgentJvm.races(server, ACCOUNT);
        assertThat(races).as(run.stderr()).isNotEmpty();
        assertThat(races).anySatisfy(v -> {
            assertThat(v.path("variable").asText()).endsWith(".balance");
            assertThat(v.path("critical").asLong()).isPositive();
        });
    }

    @Test
    void fixedTransfersAreNoRaceAndNothingIsLost() throws Exception {
        AgentJvm.Run run = bank("fixed");
        assertThat(run.stdout()).contains("alice.balance=600 expected=600").contains("All 4 transfers accounted for");
        assertThat(AgentJvm.accesses(server, ACCOUNT)).isPositive();
        assertThat(AgentJvm.races(server, ACCOUNT)).isEmpty();
    }
}
