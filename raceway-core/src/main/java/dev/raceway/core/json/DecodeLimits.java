package dev.raceway.core.json;

/**
 * Bounds on what one {@code POST /events} body may contain. Exceeding a per-event bound rejects that event only;
 * exceeding {@link #maxEvents()} or {@link #maxNestingDepth()} rejects the whole body.
 *
 * @param maxEvents          events per body
 * @param maxStringLength    characters in any one string (field value, key, or string inside a free JSON value)
 * @param maxValueDepth      nesting depth of free JSON values ({@code args}, {@code data}, {@code old_value},
 *                           {@code new_value}, {@code body})
 * @param maxClockComponents entries in {@code causality_vector}
 * @param maxCollectionSize  entries in {@code lock_set}, {@code tags}, {@code headers}, {@code stack_trace}
 * @param maxNestingDepth    nesting depth of the whole document (beyond it the body cannot be resynchronised)
 */
public record DecodeLimits(int maxEvents, int maxStringLength, int maxValueDepth, int maxClockComponents,
                           int maxCollectionSize, int maxNestingDepth) {

    public static final DecodeLimits DEFAULT = new DecodeLimits(10_000, 65_536, 32, 256, 1_024, 256);

    public DecodeLimits {
        requirePositive(maxEvents, "maxEvents");
        requirePositive(maxStringLength, "maxStringLength");
        requirePositive(maxValueDepth, "maxValueDepth");
        requirePositive(maxClockComponents, "maxClockComponents");
        requirePositive(maxCollectionSize, "maxCollectionSize");
        if (maxNestingDepth < maxValueDepth + 8) {
            throw new IllegalArgumentException("maxNestingDepth must exceed maxValueDepth + 8 (event structure)");
        }
    }

    public DecodeLimits withMaxEvents(int n) {
        return new DecodeLimits(n, maxStringLength, maxValueDepth, maxClockComponents, maxCollectionSize,
                maxNestingDepth);
    }

    private static void requirePositive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }
}
