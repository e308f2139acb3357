package dev.raceway.core.json;

import java.util.Optional;

/**
 * Why one event of a batch was not accepted.
 *
 * @param index   position in the {@code events} array (0-based)
 * @param eventId the event's {@code id} as sent, when it could be read
 * @param path    JSON path of the offending field, e.g. {@code events[3].kind.StateChange.access_type}
 * @param reason  what is wrong, in words a client developer can act on
 */
public record EventRejection(int index, Optional<String> eventId, String path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason + eventId.map(id -> " (event " + id + ")").orElse("");
    }
}
