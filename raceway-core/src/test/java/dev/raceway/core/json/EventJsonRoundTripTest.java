package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonRoundTripTest {

    @Test
    void writesTheReferenceShape() throws Exception {
        Event e = EventJson.decodeEvent("{\"id\":\"3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f\","
                + "\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\",\"parent_id\":null,"
                + "\"timestamp\":\"2024-05-01T12:00:00.125+02:00\","
                + "\"kind\":{\"StateChange\":{\"variable\":\"alice.balance\",\"new_value\":1000,\"location\":\"bank.ts:43\",\"access_type\":\"Read\"}},"
                + "\"metadata\":{\"thread_id\":\"req-17\",\"process_id\":4242,\"service_name\":\"api\",\"environment\":\"dev\","
                + "\"tags\":{\"sdk_language\":\"typescript\",\"a\":\"b\"},\"instance_id\":\"pod-a\",\"distributed_span_id\":\"a1b2c3d4e5f60718\"},"
                + "\"causality_vector\":[[\"api#pod-a\",3]],\"lock_set\":[\"l1\"]}");
        assertThat(EventJson.toJson(e)).isEqualTo("{\"id\":\"3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f\","
                + "\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\",\"parent_id\":null,"
                + "\"timestamp\":\"2024-05-01T10:00:00.125Z\","
                + "\"kind\":{\"StateChange\":{\"variable\":\"alice.balance\",\"old_value\":null,\"new_value\":1000,\"location\":\"bank.ts:43\",\"access_type\":\"Read\"}},"
                + "\"metadata\":{\"thread_id\":\"req-17\",\"process_id\":4242,\"service_name\":\"api\",\"environment\":\"dev\","
                + "\"tags\":{\"a\":\"b\",\"sdk_language\":\"typescript\"},\"duration_ns\":null,\"instance_id\":\"pod-a\",\"distributed_span_id\":\"a1b2c3d4e5f60718\"},"
                + "\"causality_vector\":[[\"api#pod-a\",3]],\"lock_set\":[\"l1\"]}");
    }

    @Test
    void batchesRoundTripUnchanged() throws Exception {
        byte[] fixture;
        try (InputStream in = getClass().getResourceAsStream("/f0-fixture.json")) {
            fixture = in.readAllBytes();
        }
        List<Event> events = EventJson.decodeBatch(fixture).events();
        BatchDecodeResult again = EventJson.decodeBatch(EventJson.encodeBatch(events));
        assertThat(again.rejections()).isEmpty();
        assertThat(again.events()).isEqualTo(events);
    }

    @Test
    void freeValuesKeepTheirExactNumbersAndStructure() throws Exception {
        String data = "{\"big\":123456789012345678901234567890,\"f\":1.50,\"s\":\"\\u00e9\\\"q\",\"n\":[null,true,false,-0.0e1]}";
        Event e = EventJson.decodeEvent("{\"id\":\"3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f\","
                + "\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\",\"timestamp\":\"2024-05-01T12:00:00Z\","
                + "\"kind\":{\"Custom\":{\"name\":\"c\",\"data\":" + data + "}},"
                + "\"metadata\":{\"thread_id\":\"t\",\"process_id\":1,\"service_name\":\"s\",\"environment\":\"e\",\"tags\":{}},"
                + "\"causality_vector\":[],\"lock_set\":[]}");
        String json = EventJson.toJson(e);
        assertThat(json).contains("\"big\":123456789012345678901234567890").contains("\"f\":1.50")
                .contains("[null,true,false,-0.0e1]");
        assertThat(EventJson.decodeEvent(json)).isEqualTo(e);
    }
}
