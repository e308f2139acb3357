package dev.raceway.core.json;

import java.util.Arrays;
import java.util.UUID;

/**
 * The UUID of text in canonical form — 36 characters, lower-case hex, hyphens at 8, 13, 18 and 23 — parsed without
 * building a {@code String}; null for any other text, which then takes the general path ({@code Uuids.parse}) with
 * its error reporting. SDKs write ids this way, and creating a String per id was a measurable part of decoding.
 */
final class CanonicalUuid {
    /** Lower-case hex digit values by character; -1 for every other character below 128. */
    private static final byte[] HEX = new byte[128];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
        }
    }

    private CanonicalUuid() {
    }

    static UUID parse(CharSequence s) {
        if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-'
                || s.charAt(23) != '-') {
            return null;
        }
        long hi = 0;
        long lo = 0;
        int bad = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            char c = s.charAt(i);
            int d = c < 128 ? HEX[c] : -1;
            bad |= d;
            if (i < 18) {
                hi = (hi << 4) | (d & 0xF);
            } else {
                lo = (lo << 4) | (d & 0xF);
            }
        }
        return bad < 0 ? null : new UUID(hi, lo);
    }
}
