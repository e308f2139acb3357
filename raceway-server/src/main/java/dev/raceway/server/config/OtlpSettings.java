package dev.raceway.server.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code [otlp]}: an optional listener of its own for OTLP/HTTP exports ({@code POST /v1/traces}, nothing else),
 * besides the server's port, which always serves it too. Same host, TLS, limits and auth as the server.
 *
 * @param port the port (4318 is OTLP/HTTP's conventional one; 0 picks a free port); empty = no such listener
 */
public record OtlpSettings(OptionalInt port) {
    /** OTLP/HTTP's conventional port. */
    public static final int DEFAULT_PORT = 4318;

    public OtlpSettings {
        Objects.requireNonNull(port, "port");
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port must be within [0, 65535], got " + port.getAsInt());
        }
    }

    public static OtlpSettings disabled() {
        return new OtlpSettings(OptionalInt.empty());
    }

    public static OtlpSettings onPort(int port) {
        return new OtlpSettings(OptionalInt.of(port));
    }
}
