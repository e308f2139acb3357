package dev.raceway.examples.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** JSON request and response bodies of the example services. */
public final class JsonBodies {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonBodies() {
    }

    /** Reads the request body as {@code type}; a missing or malformed body is a {@link BadRequest}. */
    public static <T> T read(HttpServletRequest request, Class<T> type) throws BadRequest {
        try {
            T value = MAPPER.readValue(request.getInputStream(), type);
            if (value == null) {
                throw new BadRequest("a JSON body is required");
            }
            return value;
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new BadRequest("malformed JSON body: " + reason);
        }
    }

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        MAPPER.writeValue(response.getOutputStream(), body);
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** A client error, answered 400 with the reason. */
    public static final class BadRequest extends Exception {
        public BadRequest(String reason) {
            super(reason);
        }
    }
}
