package dev.raceway.storage;

/** What a retention run deleted. */
public record RetentionResult(long tracesDeleted, long eventsDeleted) {
    public static final RetentionResult NONE = new RetentionResult(0, 0);
}
