package dev.raceway.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.support.Http;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import dev.raceway.examples.support.Races;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One order through api-gateway → inventory-service + payment-service (parallel calls), against a real Raceway
 * server: the order is a single trace spanning the three services.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedEndToEndTest {
    private static final String STATUS = "order.order-1.status";
    /**
     * gateway: HttpRequest, createOrder, Write NEW, HttpResponse; inventory: HttpRequest, 2 Reads, query, 2 Writes,
     * query, reserveStock, HttpResponse; payment: HttpRequest, Read, query, Write, query, chargeCard, HttpResponse.
     */
    private static final int EVENTS = 4 + 9 + 7;

    private RacewayUnderTest raceway;
    private RacewayApi api;
    private JsonNode answer;
    private String trace;
    private JsonNode bundle;
    private Map<String, String> serviceOfEvent;

    @BeforeAll
    void placeOneOrder() throws InterruptedException {
        raceway = RacewayUnderTest.start();
        api = raceway.api();
        try (DistributedExample example = DistributedExample.start(raceway.url(), 0, 0, 0, Duration.ofMillis(100))) {
            // A first order warms up the three servers and the gateway's HTTP client, so that start-up time does
            // not inflate the gateway's own request duration on the measured order.
            assertThat(Http.postJson(example.gatewayUri().resolve("/api/order"),
                    Map.of("order_id", "warm-up", "sku", "gadget", "quantity", 1, "amount", 1)).status())
                    .isEqualTo(200);
            answer = Http.postJson(example.gatewayUri().resolve("/api/order"),
                    Map.of("order_id", "order-1", "sku", "widget", "quantity", 1, "amount", 2500)).body();
            assertThat(example.flush()).as("SDK clients flushed").isTrue();
        }
        assertThat(answer.path("success").asBoolean()).as("order answer %s", answer).isTrue();
        trace = answer.path("trace_id").asText();
        bundle = api.awaitTrace(trace, EVENTS);
        serviceOfEvent = new HashMap<>();
        RacewayApi.events(bundle).forEach(e ->
                serviceOfEvent.put(e.path("id").asText(), e.path("metadata").path("service_name").asText()));
    }

    @AfterAll
    void stopRaceway() {
        if (raceway != null) {
            raceway.close();
        }
    }

    @Test
    void theOrderIsOneTraceWithEventsOfAllThreeServices() {
        List<JsonNode> events = RacewayApi.events(bundle);
        assertThat(events).hasSize(EVENTS);
        assertThat(events).allSatisfy(e -> assertThat(e.path("trace_id").asText()).isEqualTo(trace));
        assertThat(new TreeSet<>(serviceOfEvent.values()))
                .containsExactly("api-gateway", "inventory-service", "payment-service");
    }

    @Test
    void dependenciesShowTheGatewayCallingInventoryAndPayment() {
        JsonNode deps = api.data("/api/traces/" + trace + "/dependencies");
        Set<String> calls = new TreeSet<>();
        deps.path("dependencies").forEach(d -> calls.add(d.path("from").asText() + " -> " + d.path("to").asText()));
        assertThat(calls).containsExactlyInAnyOrder("api-gateway -> inventory-service",
                "api-gateway -> payment-service");
        Set<String> services = new TreeSet<>();
        deps.path("services").forEach(s -> services.add(s.path("name").asText()));
        assertThat(services).containsExactly("api-gateway", "inventory-service", "payment-service");
    }

    @Test
    void criticalPathCrossesFromTheGatewayIntoADownstreamService() {
        JsonNode cp = api.data("/api/traces/" + trace + "/critical-path");
        Set<String> services = new TreeSet<>();
        cp.path("path").forEach(p -> services.add(serviceOfEvent.get(p.path("id").asText())));
        assertThat(services).as("services on the critical path %s", cp).contains("api-gateway").hasSizeGreaterThan(1);
        assertThat(cp.path("total_duration_ms").asDouble()).isPositive();
    }

    @Test
    void inventoryAndPaymentRaceOnTheOrderStatus() {
        // The per-trace analysis: a write-write race on the status between the two downstream services.
        List<JsonNode> races = Races.inTraceBundle(bundle, STATUS, "CRITICAL");
        assertThat(races).as("analysis %s", bundle.path("analysis")).isNotEmpty();

        // The audit trail names the services: gateway's NEW is ordered before both; the two later writes race.
        JsonNode trail = api.auditTrail(trace, STATUS).path("accesses");
        Set<String> racingServices = new TreeSet<>();
        for (JsonNode access : trail) {
            if (access.path("is_race").asBoolean()) {
                racingServices.add(access.path("service_name").asText());
            }
        }
        assertThat(trail.get(0).path("service_name").asText()).isEqualTo("api-gateway");
        assertThat(trail.get(0).path("new_value").asText()).isEqualTo("NEW");
        assertThat(racingServices).as("audit trail %s", trail).isNotEmpty()
                .isSubsetOf("inventory-service", "payment-service");

        // And the app shows the consequence: one service's status overwrote the other's.
        assertThat(answer.path("final_status").asText()).isIn("RESERVED", "PAID");
    }
}
