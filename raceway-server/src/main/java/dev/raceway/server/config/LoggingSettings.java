package dev.raceway.server.config;

import java.util.Objects;

/** {@code [logging]}: level is one of trace, debug, info, warn, error (lower case). */
public record LoggingSettings(String level, boolean includeModules) {
    public LoggingSettings {
        Objects.requireNonNull(level, "level");
    }

    public static LoggingSettings defaults() {
        return new LoggingSettings("info", false);
    }
}
