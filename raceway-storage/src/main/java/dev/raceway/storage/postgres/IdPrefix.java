package dev.raceway.storage.postgres;

import java.util.Optional;
import java.util.UUID;

/**
 * A trace-id prefix as a range of uuids, so that the primary key's index answers it: {@code 3f2a} is every id from
 * {@code 3f2a0000-0000-…} to {@code 3f2affff-ffff-…} (PostgreSQL orders uuids as unsigned bytes, like their text).
 */
final class IdPrefix {
    private IdPrefix() {
    }

    /** [lowest, highest] id whose text starts with {@code prefix}; empty when no id can (dashes misplaced). */
    static Optional<UUID[]> range(String prefix) {
        String hex = prefix.replace("-", "");
        if (hex.length() > 32) {
            return Optional.empty();
        }
        UUID low = uuid(hex + "0".repeat(32 - hex.length()));
        UUID high = uuid(hex + "f".repeat(32 - hex.length()));
        if (!low.toString().startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(new UUID[] {low, high});
    }

    private static UUID uuid(String hex32) {
        return new UUID(Long.parseUnsignedLong(hex32.substring(0, 16), 16),
                Long.parseUnsignedLong(hex32.substring(16), 16));
    }
}
