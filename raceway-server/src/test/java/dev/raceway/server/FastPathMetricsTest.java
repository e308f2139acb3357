package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.memory.MemoryEventStore;
import dev.raceway.storage.MemoryStoreConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ingest fast path's declines are visible on /metrics, by reason, for bodies posted to a real server. */
class FastPathMetricsTest {
    final MemoryEventStore store = new MemoryEventStore(MemoryStoreConfig.defaults());
    RacewayServer server;
    Http http;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void bodiesTheFastPathDeclinesAreCountedByReasonOnMetrics() throws Exception {
        server = RacewayServer.start(ServerConfiguration.defaults().toBuilder().server(s -> s.port(0)).build(), store);
        http = new Http(server.baseUrl());
        long unsupported = declines("unsupported");
        long invalid = declines("invalid_event");
        long defects = counter("raceway_decode_fast_path_defects_total");

        // A key written with an escape is legal JSON the fast path leaves to the general decoder: still stored.
        UUID trace = UUID.randomUUID();
        List<Event> events = Events.trace(trace, 3, "declined");
        String escaped = new String(Events.body(events), StandardCharsets.UTF_8)
                .replaceFirst("\"trace_id\"", "\"trace\\\\u005fid\"");
        assertThat(escaped).contains("trace\\u005fid");
        HttpResponse<String> accepted = http.postJson("/events", escaped);
        assertThat(accepted.statusCode()).isEqualTo(200);
        Http.await("the escaped body's events stored", () -> store.traceEvents(trace).size() == 3);
        assertThat(declines("unsupported")).isEqualTo(unsupported + 1);

        // An invalid event: the general decoder rejects it by path and keeps the others.
        String invalidBody = new String(Events.body(Events.trace(UUID.randomUUID(), 2, "invalid")),
                StandardCharsets.UTF_8).replaceFirst("\"thread_id\":\"[^\"]*\"", "\"thread_id\":7");
        HttpResponse<String> partly = http.postJson("/events", invalidBody);
        assertThat(partly.body()).contains("thread_id");
        assertThat(declines("invalid_event")).isEqualTo(invalid + 1);
        assertThat(counter("raceway_decode_fast_path_defects_total")).isEqualTo(defects);
    }

    private long declines(String reason) {
        return counter("raceway_decode_fast_path_declines_total{reason=\"" + reason + "\"}");
    }

    private long counter(String series) {
        String text = http.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(text);
        assertThat(m.find()).as(series + " on /metrics").isTrue();
        return Long.parseLong(m.group(1));
    }
}
