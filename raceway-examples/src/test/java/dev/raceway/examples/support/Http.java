package dev.raceway.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.common.JsonBodies;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain HTTP client for calling the example services the way a user would. */
public final class Http {
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

    private Http() {
    }

    /** POSTs a JSON body and returns the answer's status and JSON body. */
    public static RacewayApi.Answer postJson(URI url, Object body) {
        try {
            return post(url, JsonBodies.MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new AssertionError("cannot encode " + body, e);
        }
    }

    /** POSTs {@code body} as-is (JSON or not) with {@code Content-Type: application/json}. */
    public static RacewayApi.Answer post(URI url, String body) {
        return call(new Request.Builder().url(url.toString())
                .post(RequestBody.create(body, MediaType.get("application/json"))).build());
    }

    public static RacewayApi.Answer get(URI url) {
        return call(new Request.Builder().url(url.toString()).build());
    }

    private static RacewayApi.Answer call(Request request) {
        try (Response response = CLIENT.newCall(request).execute()) {
            String text = response.body().string();
            JsonNode json = JsonBodies.parse(text);
            return new RacewayApi.Answer(response.code(), json);
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.url() + " failed: " + e, e);
        }
    }
}
