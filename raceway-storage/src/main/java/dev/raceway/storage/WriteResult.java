package dev.raceway.storage;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Outcome of one {@link EventWriter#write} call.
 *
 * @param received    events in the batch
 * @param inserted    events that were not stored before (the rest were duplicates by id)
 * @param conflicting ids of duplicates whose content differs from the event already stored under that id (or from
 *                    an earlier event of the batch): the stored event is kept, and the client should be told
 */
public record WriteResult(int received, int inserted, Set<UUID> conflicting) {
    public WriteResult {
        if (received < 0 || inserted < 0 || inserted > received) {
            throw new IllegalArgumentException("invalid write result " + received + "/" + inserted);
        }
        conflicting = Set.copyOf(Objects.requireNonNull(conflicting, "conflicting"));
    }

    /** A result without conflicting duplicates. */
    public WriteResult(int received, int inserted) {
        this(received, inserted, Set.of());
    }

    public int duplicates() {
        return received - inserted;
    }
}
