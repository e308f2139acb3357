package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanEdgesTest {

    /** A caller on thread t of span a calls span b (thread d), which ends at 3 ms; the caller goes on at 10 ms. */
    private static final Event[] CALL = {
        Ev.in(1).id(1).service("api").thread("t").span("a").at(0).call("handle"),
        Ev.in(1).id(2).service("api").thread("t").span("a").at(1).httpRequest("GET", "/stock"),
        Ev.in(1).id(3).service("db").thread("d").span("b").upstream("a").at(2).call("query"),
        Ev.in(1).id(4).service("db").thread("d").span("b").at(3).call("done"),
        Ev.in(1).id(5).service("api").thread("t").span("a").at(10).call("respond"),
    };

    private static String edges(Event[] events, List<DistributedEdge> given, long skewNanos, List<SpanLink> links) {
        EdgeList edges = new EdgeList();
        links.addAll(SpanEdges.add(events, ThreadChains.of(events), given, skewNanos, edges));
        return edges.toString();
    }

    @Test
    void theLastCallerEventBeforeTheCalleeLinksToItAndAReturnedCallOrdersTheCallersNextEvent() {
        List<SpanLink> links = new ArrayList<>();
        assertThat(edges(CALL, List.of(), 0, links)).isEqualTo("[1→2, 3→4]");
        assertThat(links).containsExactly(new SpanLink("a", "b", CALL[1], CALL[2]));
    }

    @Test
    void aReturnCloserThanTheSkewAcrossInstancesOrdersNothing() {
        assertThat(edges(CALL, List.of(), 50_000_000L, new ArrayList<>())).isEqualTo("[1→2]");
    }

    @Test
    void givenEdgesLinkSpansWithoutUpstreamMetadata() {
        Event[] events = {
            Ev.in(1).id(1).thread("t").span("x").at(0).call("send"),
            Ev.in(2).id(2).thread("t").span("y").at(5).call("receive"),
        };
        DistributedEdge edge = new DistributedEdge("x", "y", EdgeLinkType.MessageQueue, Ev.uuid(1), Ev.BASE);
        assertThat(edges(events, List.of(edge), 0, new ArrayList<>())).isEqualTo("[0→1]");
        assertThat(edges(events, List.of(), 0, new ArrayList<>())).isEqualTo("[]");
    }
}
