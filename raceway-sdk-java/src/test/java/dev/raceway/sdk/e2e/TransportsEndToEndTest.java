package dev.raceway.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.RacewayStats;
import dev.raceway.sdk.okhttp.OkHttpTransport;
import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.JdkHttpTransport;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both transports against a real Raceway server (API-key auth on): plain and gzip bodies, several batches. */
class TransportsEndToEndTest {
    private static InProcessServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = new InProcessServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> transports() {
        Map<String, EventTransport.Factory> all = Map.of("okhttp", OkHttpTransport.factory(),
                "jdk", JdkHttpTransport.factory());
        return all.entrySet().stream().flatMap(e -> Stream.of(Arguments.of(e.getKey(), e.getValue(), false),
                Arguments.of(e.getKey(), e.getValue(), true)));
    }

    @ParameterizedTest(name = "{0}, gzip={2}")
    @MethodSource("transports")
    void everyEventReachesTheServer(String name, EventTransport.Factory transport, boolean gzip) {
        try (RacewayClient client = RacewayClient.builder(server.endpoint(), "transport-" + name)
                .apiKey(InProcessServer.API_KEY).transport(transport).gzip(gzip).batchSize(100)
                .flushInterval(Duration.ofMillis(50)).build()) {
            RacewayContext ctx = client.newTrace();
            try (Scope ignored = ctx.makeCurrent()) {
                for (int i = 0; i < 250; i++) {
                    client.trackStateChange("account." + (i % 7), i, i + 1, AccessType.Write);
                }
            }
            assertThat(client.flush(Duration.ofSeconds(20))).isTrue();
            List<Event> stored = server.awaitTrace(ctx.traceId(), 250);
            assertThat(stored).hasSize(250).allSatisfy(e -> assertThat(e.metadata().serviceName())
                    .isEqualTo("transport-" + name));
            RacewayStats s = client.stats();
            assertThat(s).extracting(RacewayStats::sent, RacewayStats::failed, RacewayStats::retried,
                    RacewayStats::dropped).containsExactly(250L, 0L, 0L, 0L);
        }
    }
}
