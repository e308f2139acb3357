package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.LOGGING_INCLUDE_MODULES;
import static dev.raceway.server.config.ConfigKeys.LOGGING_LEVEL;

import java.util.Objects;

/** {@code [logging]}: level is one of {@link ConfigKeys#LOGGING_LEVEL}'s choices (lower case). */
public record LoggingSettings(String level, boolean includeModules) {
    public LoggingSettings {
        Objects.requireNonNull(level, "level");
        LOGGING_LEVEL.check(level);
    }

    public static LoggingSettings defaults() {
        return new LoggingSettings(LOGGING_LEVEL.defaultValue(), LOGGING_INCLUDE_MODULES.defaultValue());
    }
}
