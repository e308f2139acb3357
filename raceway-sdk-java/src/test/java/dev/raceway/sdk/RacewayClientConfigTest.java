package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RacewayClientConfigTest {

    @Test
    void theRustStyleConstructorsSetModuleAndKey() {
        try (RacewayClient plain = new RacewayClient("http://localhost:8080/", "svc");
             RacewayClient keyed = new RacewayClient("http://localhost:8080", "svc", " k1 ");
             RacewayClient module = RacewayClient.withModule("http://localhost:8080", "svc", "payments");
             RacewayClient both = RacewayClient.withModule("https://raceway.example", "svc", "payments", "k2")) {
            assertThat(plain.config().endpoint()).isEqualTo("http://localhost:8080");
            assertThat(plain.config().module()).isEqualTo("app");
            assertThat(plain.config().apiKey()).isEmpty();
            assertThat(keyed.config().apiKey()).contains("k1");
            assertThat(module.config().module()).isEqualTo("payments");
            assertThat(both.config().apiKey()).contains("k2");
        }
    }

    @Test
    void defaultsMatchTheDocumentation() {
        try (RacewayClient c = new RacewayClient("http://localhost:8080", "svc")) {
            RacewayConfig cfg = c.config();
            assertThat(cfg.flushInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(cfg.batchSize()).isEqualTo(1000);
            assertThat(cfg.queueCapacity()).isEqualTo(100_000);
            assertThat(cfg.enabled()).isTrue();
            assertThat(cfg.captureLocation()).isTrue();
            assertThat(cfg.gzip()).isFalse();
            String env = System.getenv("RACEWAY_INSTANCE_ID");
            if (env == null || env.isBlank()) {
                assertThat(cfg.instanceId()).endsWith("-" + ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void badSettingsAreRefusedAtConstructionWithAReason() {
        assertThatThrownBy(() -> new RacewayClient("localhost:8080", "svc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> new RacewayClient("ftp://host", "svc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> new RacewayClient("http://host?x=1", "svc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
        assertThatThrownBy(() -> new RacewayClient("http://host", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serviceName");
        assertThatThrownBy(() -> new RacewayClient("http://host", "svc", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").batchSize(10).queueCapacity(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").maxConcurrentRequests(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentRequests");
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").flushInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushInterval");
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").tag("k", null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void byDefaultRetriesOutlastAServerRestartAndAreBoundedByTimeNotAttempts() {
        try (RacewayClient c = new RacewayClient("http://127.0.0.1:1", "svc")) {
            assertThat(c.config().maxRetryTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
            assertThat(c.config().maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        }
        assertThatThrownBy(() -> RacewayClient.builder("http://host", "svc").maxRetryTime(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryTime");
    }

    @Test
    void aClientThatNeverTracksStartsNoThreadAndClosesTwiceQuietly() {
        long before = flushers();
        RacewayClient c = new RacewayClient("http://127.0.0.1:1", "svc");
        assertThat(flushers()).isEqualTo(before);
        c.close();
        c.close();
        assertThat(c.stats()).isEqualTo(new RacewayStats(0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(Optional.of(c.flush(Duration.ofMillis(10)))).contains(true);
    }

    private static long flushers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("raceway-flusher") && t.isAlive()).count();
    }
}
