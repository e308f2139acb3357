package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.server.config.ServerConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: each gets a 4xx with a reason, valid events sent alongside are stored, and the server
 * stays healthy.
 */
class BadInputTest extends HostileInputServer {
    private static String error(HttpResponse<String> r) {
        Map<String, Object> body = JsonTree.obj(r.body());
        assertThat(body).containsEntry("success", false).containsEntry("data", null);
        return (String) body.get("error");
    }

    @Test
    void malformedJsonIs400WithPosition() {
        HttpResponse<String> r = http.postJson("/events", "{\"events\":[{\"id\": }");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("malformed JSON").contains("line 1");
        assertThat(error(http.postJson("/events", "{\"events\":[]} trailing"))).isNotBlank();
    }

    @Test
    void jsonThatIsNotABatchIs422() {
        for (String body : List.of("[]", "{\"foo\":1}", "{\"events\":{}}", "\"events\"", "42")) {
            HttpResponse<String> r = http.postJson("/events", body);
            assertThat(r.statusCode()).as(body).isEqualTo(422);
            assertThat(error(r)).as(body).isNotBlank();
        }
    }

    @Test
    void emptyBodyIs400() {
        HttpResponse<String> r = http.postJson("/events", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("empty body");
    }

    @Test
    void wrongTypesAndUnknownKindsRejectOnlyTheirEvent() {
        UUID trace = UUID.randomUUID();
        List<Event> ok = Events.trace(trace, 2, "bad-input");
        String wrongType = Events.one(Events.call(trace, 5, "bad-input")).replaceFirst("\"process_id\":\\d+",
                "\"process_id\":\"many\"");
        String unknownKind = "{\"id\":\"" + UUID.randomUUID() + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":"
                + "\"2024-01-01T12:00:00Z\",\"kind\":{\"Teleport\":{\"to\":\"mars\"}},\"metadata\":{\"thread_id\":"
                + "\"t\",\"process_id\":1,\"service_name\":\"s\",\"environment\":\"e\",\"tags\":{}},"
                + "\"causality_vector\":[],\"lock_set\":[]}";
        String body = "{\"events\":[" + Events.one(ok.get(0)) + "," + wrongType + "," + unknownKind + ","
                + Events.one(ok.get(1)) + "]}";
        HttpResponse<String> r = http.postJson("/events", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> json = JsonTree.obj(r.body());
        assertThat(json).containsEntry("data", "Ingested 2 events, 2 rejected");
        List<Object> rejected = JsonTree.list(json.get("rejected"));
        assertThat(JsonTree.map(rejected.get(0))).containsEntry("index", 1L);
        assertThat((String) JsonTree.map(rejected.get(0)).get("path")).contains("process_id");
        assertThat(JsonTree.map(rejected.get(1))).containsEntry("index", 2L);
        assertThat((String) JsonTree.map(rejected.get(1)).get("reason")).contains("Teleport");
        Http.await("valid events of the mixed batch stored", () -> server.store().traceEvents(trace).size() == 2);
    }

    @Test
    void bodyOverTheLimitIs413AndAGzipBombToo() {
        byte[] big = new byte[BODY_LIMIT + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = http.postJson("/events", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).contains("max_body_bytes");

        byte[] bomb = Http.gzip(new byte[16 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(BODY_LIMIT);
        HttpResponse<String> b = http.post("/events", bomb, "Content-Type", "application/json",
                "Content-Encoding", "gzip");
        assertThat(b.statusCode()).isEqualTo(413);
    }

    @Test
    void tooManyEventsIs413() {
        ServerConfiguration d = ServerConfiguration.defaults();
        // The default buffer holds 10 000 events; one body may not carry more.
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i <= 10_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{}");
        }
        HttpResponse<String> r = http.postJson("/events", sb.append("]}").toString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).contains("10000");
        assertThat(d.engine().bufferSize()).isEqualTo(10_000);
    }

    @Test
    void deepNestingIsRefused() {
        UUID trace = UUID.randomUUID();
        Event good = Events.call(trace, 1, "deep");
        String deepValue = "[".repeat(40) + "1" + "]".repeat(40);
        String deepEvent = Events.one(Events.call(trace, 2, "deep")).replace("{\"a\":1}", deepValue);
        HttpResponse<String> r = http.postJson("/events", "{\"events\":[" + Events.one(good) + "," + deepEvent
                + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JsonTree.obj(r.body())).containsEntry("accepted", 1L);
        Http.await("shallow event stored", () -> server.store().event(good.id()).isPresent());

        String abyss = "{\"events\":[" + "[".repeat(5000) + "]".repeat(5000) + "]}";
        HttpResponse<String> a = http.postJson("/events", abyss);
        assertThat(a.statusCode()).isBetween(400, 499);
        assertThat(error(a)).isNotBlank();
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        HttpResponse<String> r = http.post("/events", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(error(r)).contains("application/json");
        assertThat(http.post("/events", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(415);
        assertThat(http.post("/events", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/vnd.raceway+json; charset=utf-8").statusCode()).isEqualTo(200);
    }

    @Test
    void unsupportedOrCorruptContentEncodingIsRejected() {
        HttpResponse<String> r = http.post("/events", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Content-Encoding", "zstd-ish");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(error(r)).contains("Content-Encoding");
        HttpResponse<String> corrupt = http.post("/events", "definitely not gzip".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Content-Encoding", "gzip");
        assertThat(corrupt.statusCode()).isEqualTo(400);
    }

    @Test
    void badQueryAndPathEscapesAre400() throws IOException {
        assertThat(raw("GET /api/traces?page=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(raw("GET /api/traces/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(http.get("/api/traces/" + "9".repeat(40)).statusCode()).isEqualTo(400);
    }

    @Test
    void oversizedRequestLineAndHeadersAreRefused() throws IOException {
        assertThat(raw("GET /api/traces?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .startsWith("HTTP/1.1 414");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertThat(raw("THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        String two = "GET /api/traces/not-a-uuid HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n";
        String answer = raw(two);
        int first = answer.indexOf("HTTP/1.1 400");
        int second = answer.indexOf("HTTP/1.1 200");
        assertThat(first).isGreaterThanOrEqualTo(0);
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void stalledClientIsDisconnectedAfterTheIdleTimeout() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"ev"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // drain whatever the server says before closing
            }
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
        }
    }

    @Test
    void clientTricklingARequestIsDisconnectedAtTheRequestDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean closed = false;
            // One byte every 500 ms keeps the connection from ever being idle for the 2 s idle timeout.
            while (!closed && (System.nanoTime() - t0) / 1e9 < 15) {
                try {
                    out.write('x');
                    out.flush();
                    closed = s.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException e) {
                    // still open: keep trickling
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
        }
    }

    /** Sends raw bytes and returns everything the server answers until it closes or goes quiet. */
    private String raw(String request) throws IOException {
        return RawHttp.exchange(server.port(), request);
    }
}
