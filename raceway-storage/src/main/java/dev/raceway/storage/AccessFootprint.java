package dev.raceway.storage;

import dev.raceway.core.event.AccessType;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What one trace did to one variable, as much as deciding whether it might take part in a race needs: which kinds
 * of access, from how many threads, and when the trace ran. Read from the variable index without loading the
 * trace's events.
 *
 * @param accessTypes the distinct access types of the trace's StateChange events on the variable
 * @param threads     how many distinct threads made them: (service, instance, thread id), the program orders of the
 *                    causality analysis
 * @param start       the trace's wall-clock start ({@link TraceSummary#startTimestamp()})
 * @param end         the trace's last event ({@link TraceSummary#lastTimestamp()})
 */
public record AccessFootprint(String variable, UUID traceId, Set<AccessType> accessTypes, int threads,
                              Instant start, Instant end) {
    public AccessFootprint {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (accessTypes.isEmpty()) {
            throw new IllegalArgumentException("a footprint has at least one access type");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        accessTypes = Collections.unmodifiableSet(EnumSet.copyOf(accessTypes));
    }
}
