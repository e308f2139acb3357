package dev.raceway.core.propagation;

import java.util.Optional;

/**
 * The W3C {@code tracestate} header, passed through verbatim. Only bounded in size and restricted to printable
 * ASCII so that a hostile value cannot be reflected into logs or other services.
 */
public final class TraceState {
    public static final String HEADER = "tracestate";
    /** W3C allows 32 list members; 512 characters per member would already be generous. */
    static final int MAX_LENGTH = 8192;

    private TraceState() {
    }

    /** The header value to keep, trimmed; empty when absent, blank, too long or not printable ASCII. */
    public static Optional<String> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.trim();
        if (v.isEmpty() || v.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            }
        }
        return Optional.of(v);
    }
}
