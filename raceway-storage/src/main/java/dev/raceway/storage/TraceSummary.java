package dev.raceway.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A trace at a glance.
 *
 * @param firstTimestamp the earliest event timestamp (the reference's {@code first_timestamp})
 * @param lastTimestamp  the latest event timestamp
 * @param services       distinct {@code service_name}s of its events, sorted
 * @param startTimestamp where the trace's wall-clock extent begins: the earliest {@code timestamp − duration} of its
 *                       events (an event with a duration is recorded when it ends, so it occupies
 *                       {@code [timestamp − duration, timestamp]}); never after {@code firstTimestamp}
 * @param operation      what the trace does, from its root event (see {@link TraceOperation}); empty while no
 *                       parentless event has arrived
 */
public record TraceSummary(UUID traceId, long eventCount, Instant firstTimestamp, Instant lastTimestamp,
                           List<String> services, Instant startTimestamp, Optional<String> operation) {
    public TraceSummary {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
        Objects.requireNonNull(startTimestamp, "startTimestamp");
        Objects.requireNonNull(operation, "operation");
        services = List.copyOf(services);
        if (startTimestamp.isAfter(firstTimestamp)) {
            throw new IllegalArgumentException("startTimestamp " + startTimestamp + " is after firstTimestamp "
                    + firstTimestamp);
        }
    }

    /** A summary of events without durations and without a known operation. */
    public TraceSummary(UUID traceId, long eventCount, Instant firstTimestamp, Instant lastTimestamp,
                        List<String> services) {
        this(traceId, eventCount, firstTimestamp, lastTimestamp, services, firstTimestamp, Optional.empty());
    }

    /** Where {@code e} begins on the wall clock: its timestamp minus its duration (recorded when it ended). */
    public static Instant wallStart(dev.raceway.core.event.Event e) {
        return dev.raceway.core.analysis.WallClock.start(e);
    }

    public int serviceCount() {
        return services.size();
    }

    /** The wall-clock extent, {@code lastTimestamp − startTimestamp}, in milliseconds. */
    public double durationMs() {
        return dev.raceway.core.analysis.WallClock.millisBetween(startTimestamp, lastTimestamp);
    }
}
