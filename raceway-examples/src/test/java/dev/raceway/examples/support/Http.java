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
            Request request = new Request.Builder().url(url.toString())
                    .post(RequestBody.create(JsonBodies.MAPPER.writeValueAsString(body),
                            MediaType.get("application/json")))
                    .build();
            try (Response response = CLIENT.newCall(request).execute()) {
                String text = response.body().string();
                JsonNode json = JsonBodies.parse(text);
                return new RacewayApi.Answer(response.code(), json);
            }
        } catch (IOException e) {
            throw new AssertionError("POST " + url + " failed: " + e, e);
        }
    }
}
