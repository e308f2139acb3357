package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import java.util.Objects;

/**
 * An event whose duration is far from its kind's baseline.
 *
 * @param stdDevFromMean how many standard deviations from the mean ({@code +Infinity} when the baseline has
 *                       neither spread nor a non-zero mean; written as {@code null} in JSON)
 */
public record Anomaly(Event event, String eventKind, AnomalySeverity severity, double actualDurationMs,
                      double expectedDurationMs, double stdDevFromMean, String description, String location) {
    public Anomaly {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(eventKind, "eventKind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(location, "location");
    }
}
