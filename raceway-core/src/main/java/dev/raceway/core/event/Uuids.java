package dev.raceway.core.event;

import java.util.Optional;
import java.util.UUID;

/**
 * UUID parsing in the forms the reference accepts: hyphenated ({@code 8-4-4-4-12}), simple (32 hex digits),
 * braced ({@code {…}}) and {@code urn:uuid:…}; any version, either case. Output is always
 * {@link UUID#toString()} (lower-case hyphenated).
 */
public final class Uuids {
    private Uuids() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text;
        if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
            s = s.substring(1, 37);
        } else if (s.length() == 45 && s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
        }
        if (s.length() == 36) {
            if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return Optional.empty();
            }
            long hi = hex(s, 0, 8);
            long mid = hex(s, 9, 13);
            long hiv = hex(s, 14, 18);
            long var = hex(s, 19, 23);
            long lo = hex(s, 24, 36);
            if ((hi | mid | hiv | var | lo) < 0) {
                return Optional.empty();
            }
            return Optional.of(new UUID(hi << 32 | mid << 16 | hiv, var << 48 | lo));
        }
        if (s.length() == 32) {
            long hi = hex(s, 0, 16);
            long lo = hex(s, 16, 32);
            // hex() signals errors with -1, which is also a valid 16-digit value; re-check explicitly.
            if (!isHex(s, 0, 32)) {
                return Optional.empty();
            }
            return Optional.of(new UUID(hi, lo));
        }
        return Optional.empty();
    }

    /** The 32 lower-case hex digits of a UUID (the W3C trace-id form). */
    public static String toHex(UUID id) {
        String h = Long.toHexString(id.getMostSignificantBits());
        String l = Long.toHexString(id.getLeastSignificantBits());
        return "0".repeat(16 - h.length()) + h + "0".repeat(16 - l.length()) + l;
    }

    static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses up to 16 hex digits; -1 on a non-hex character (callers re-check when 16 digits are all 'f'). */
    private static long hex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
