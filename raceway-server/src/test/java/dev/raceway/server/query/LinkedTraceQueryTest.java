package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.call;
import static dev.raceway.server.query.StoreScenario.inSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LinkedTraceQueryTest {
    private final UUID gateway = UUID.randomUUID();
    private final UUID orders = UUID.randomUUID();
    private final UUID unrelated = UUID.randomUUID();
    private final StoreScenario s = new StoreScenario()
            .add(inSpan(gateway, 0, "gateway", "span-g", Optional.empty(),
                    new EventKind.HttpRequest("POST", "/orders", Map.of(), Optional.empty())))
            .add(inSpan(orders, 1, "orders", "span-o", Optional.of("span-g"),
                    new EventKind.FunctionCall("reserve", "orders", JsonValue.parse("{}"), "O.java", 1)))
            .add(call(unrelated, 2, "t", 1));

    @Test
    void followsSpanEdgesToTheLinkedTracesInBothDirections() {
        LinkedTraceQuery q = new LinkedTraceQuery(s.store(), true);
        LinkedTrace fromGateway = q.load(gateway);
        assertThat(fromGateway.own()).extracting(Event::traceId).containsOnly(gateway);
        assertThat(fromGateway.all()).extracting(Event::traceId).containsExactly(gateway, orders);
        assertThat(fromGateway.edges()).hasSize(1);
        assertThat(q.load(orders).all()).extracting(Event::traceId).containsExactly(gateway, orders);
    }

    @Test
    void withDistributedTracingOffATraceIsOnlyItself() {
        LinkedTrace t = new LinkedTraceQuery(s.store(), false).load(gateway);
        assertThat(t.all()).extracting(Event::traceId).containsOnly(gateway);
        assertThat(t.edges()).as("the edges are still known to the analyses").hasSize(1);
    }

    @Test
    void anUnlinkedTraceIsOnlyItselfAndAnUnknownOneIsRefused() {
        LinkedTraceQuery q = new LinkedTraceQuery(s.store(), true);
        assertThat(q.load(unrelated).all()).extracting(Event::traceId).containsOnly(unrelated);
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> q.load(unknown)).isInstanceOf(UnknownTraceException.class)
                .hasMessage("Trace not found: " + unknown);
    }
}
