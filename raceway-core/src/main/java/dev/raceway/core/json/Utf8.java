package dev.raceway.core.json;

/** Strict UTF-8 checks for the byte-level decoder (Unicode's table of well-formed byte sequences). */
final class Utf8 {
    private Utf8() {
    }

    /**
     * True when {@code b[from, to)} is well-formed UTF-8: shortest forms only, no encoded surrogates, nothing above
     * U+10FFFF, no truncated sequence.
     */
    static boolean isWellFormed(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // no overlong forms
                } else if (c == 0xED) {
                    hi = 0x9F; // no surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F; // nothing above U+10FFFF
                }
            } else {
                return false;
            }
            if (i + n >= to) { // truncated
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    /** True when {@code s} has no unpaired surrogate, so that it can be encoded as UTF-8 exactly. */
    static boolean isEncodable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
