package dev.raceway.examples.distributed;

import dev.raceway.examples.common.JsonBodies;
import dev.raceway.examples.common.JsonBodies.BadRequest;
import dev.raceway.sdk.RacewayClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * A downstream service's {@code POST} endpoint for one order: reads the {@link OrderRequest}, runs the service's
 * step as a tracked function (its duration and arguments become a FunctionCall event of the caller's trace), and
 * answers its result as JSON; a request without the fields the step needs gets 400.
 */
abstract class OrderEndpoint extends HttpServlet {
    protected final transient OrderDatabase db;
    protected final transient RacewayClient raceway;
    private final String function;

    OrderEndpoint(OrderDatabase db, RacewayClient raceway, String function) {
        this.db = db;
        this.raceway = raceway;
        this.function = function;
    }

    /** Throws {@link BadRequest} naming what is missing. */
    abstract void validate(OrderRequest order) throws BadRequest;

    /** The arguments recorded with the tracked function. */
    abstract Map<String, Object> arguments(OrderRequest order);

    /** The service's step; its result is the response body. */
    abstract Map<String, Object> run(OrderRequest order);

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            OrderRequest order = JsonBodies.read(req, OrderRequest.class);
            validate(order);
            JsonBodies.write(resp, 200, raceway.trackFunction(function, arguments(order), () -> run(order)));
        } catch (BadRequest e) {
            JsonBodies.write(resp, 400, Map.of("success", false, "error", e.getMessage()));
        }
    }
}
