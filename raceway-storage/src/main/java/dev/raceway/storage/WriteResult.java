package dev.raceway.storage;

/**
 * Outcome of one {@link EventWriter#write} call.
 *
 * @param received events in the batch
 * @param inserted events that were not stored before (the rest were duplicates by id)
 */
public record WriteResult(int received, int inserted) {
    public WriteResult {
        if (received < 0 || inserted < 0 || inserted > received) {
            throw new IllegalArgumentException("invalid write result " + received + "/" + inserted);
        }
    }

    public int duplicates() {
        return received - inserted;
    }
}
