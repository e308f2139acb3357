package dev.raceway.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.support.Http;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The library gives the same answers as a Raceway server fed the same file. */
class EmbeddedMatchesServerTest {

    @Test
    void sampleAnalysedInProcessMatchesTheServersAnalysisOfTheSamePostedBatch() throws Exception {
        EmbeddedAnalysis.Findings findings = EmbeddedAnalysis.analyzeSample();
        String sample = new String(EmbeddedAnalysis.class.getResourceAsStream(EmbeddedAnalysis.SAMPLE).readAllBytes(),
                StandardCharsets.UTF_8);
        try (RacewayUnderTest raceway = RacewayUnderTest.start()) {
            RacewayApi api = raceway.api();
            RacewayApi.Answer posted = Http.post(URI.create(raceway.url() + "/events"), sample);
            assertThat(posted.status()).as("%s", posted.body()).isEqualTo(200);
            for (EmbeddedAnalysis.TraceFindings t : findings.traces()) {
                String id = t.traceId().toString();
                JsonNode bundle = api.awaitTrace(id, t.events().size());
                assertThat(bundle.path("analysis").path("potential_races").asLong()).as("races of %s", id)
                        .isEqualTo(t.races().pairCount());
                t.criticalPath().ifPresent(cp -> {
                    JsonNode server = api.get("/api/traces/" + id + "/critical-path").data();
                    if (cp.totalDurationMs() > 0) {
                        assertThat(server.path("total_duration_ms").asDouble()).as("critical path of %s", id)
                                .isCloseTo(cp.totalDurationMs(), Offset.offset(1e-9));
                        assertThat(server.path("path_events").asInt()).isEqualTo(cp.path().size());
                    }
                });
                assertThat(api.data("/api/traces/" + id + "/anomalies").path("anomaly_count").asInt())
                        .as("anomalies of %s", id).isEqualTo(t.anomalies().size());
                assertThat(api.data("/api/traces/" + id + "/deadlocks").path("deadlock_count").asInt())
                        .as("deadlocks of %s", id).isEqualTo(t.deadlocks().size());
            }
            JsonNode global = api.globalAnalysis();
            // the server's global analysis reports races between different traces only
            assertThat(global.path("potential_races").asLong()).isEqualTo(findings.crossTracePairs());
            assertThat(global.path("critical_races").asLong()).isEqualTo(findings.crossTraceCritical());
            assertThat(findings.crossTracePairs()).isEqualTo(3);
        }
    }
}
