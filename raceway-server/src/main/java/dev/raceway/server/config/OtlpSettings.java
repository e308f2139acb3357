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
    public OtlpSettings {
        Objects.requireNonNull(port, "port");
        port.ifPresent(ConfigKeys.OTLP_PORT::check);
    }

    public static OtlpSettings disabled() {
        return new OtlpSettings(OptionalInt.empty());
    }

    public static OtlpSettings onPort(int port) {
        return new OtlpSettings(OptionalInt.of(port));
    }
}
