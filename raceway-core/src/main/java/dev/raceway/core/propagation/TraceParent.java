package dev.raceway.core.propagation;

import dev.raceway.core.event.Uuids;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A W3C {@code traceparent} header: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}.
 *
 * <p>Parsing is strict about structure (version, field lengths, hex digits, all-zero ids and version {@code ff}
 * are invalid, version 00 must have exactly four fields; a future version may carry more fields after a
 * {@code -}) and lenient about case (upper-case hex is accepted and normalised to lower case, as other Raceway SDKs
 * keep the case they receive).
 *
 * @param traceId  32 lower-case hex digits
 * @param parentId 16 lower-case hex digits: the span of the caller's outgoing request
 * @param flags    trace flags ({@code 01} = sampled)
 */
public record TraceParent(String traceId, String parentId, int flags) {
    public static final String HEADER = "traceparent";
    private static final int MAX_LENGTH = 512;

    public TraceParent {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(parentId, "parentId");
        if (!isHex(traceId, 32) || isZero(traceId)) {
            throw new IllegalArgumentException("trace id must be 32 hex digits, not all zero: " + traceId);
        }
        if (!isHex(parentId, 16) || isZero(parentId)) {
            throw new IllegalArgumentException("parent id must be 16 hex digits, not all zero: " + parentId);
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags must fit in one byte: " + flags);
        }
        traceId = traceId.toLowerCase(Locale.ROOT);
        parentId = parentId.toLowerCase(Locale.ROOT);
    }

    /** A sampled traceparent for a Raceway trace id and span id. */
    public static TraceParent of(UUID traceId, String spanId) {
        return new TraceParent(Uuids.toHex(traceId), spanId, 0x01);
    }

    /** Parses a header value; empty when it is absent or malformed (never throws). */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() < 55 || h.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = h.substring(0, 2);
        if (!isHex(version, 2) || version.equalsIgnoreCase("ff")) {
            return Optional.empty();
        }
        if (version.equals("00") && h.length() != 55) {
            return Optional.empty();
        }
        if (h.length() > 55 && h.charAt(55) != '-') {
            return Optional.empty();
        }
        String traceId = h.substring(3, 35);
        String parentId = h.substring(36, 52);
        String flags = h.substring(53, 55);
        if (!isHex(traceId, 32) || isZero(traceId) || !isHex(parentId, 16) || isZero(parentId) || !isHex(flags, 2)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(traceId, parentId, Integer.parseInt(flags, 16)));
    }

    /** The trace id as a UUID (Raceway trace ids are UUIDs; the hex is the UUID without dashes). */
    public UUID traceIdAsUuid() {
        return Uuids.parse(traceId).orElseThrow();
    }

    public boolean sampled() {
        return (flags & 0x01) != 0;
    }

    /** The header value, version 00. */
    public String format() {
        return "00-" + traceId + "-" + parentId + "-" + (flags < 16 ? "0" : "") + Integer.toHexString(flags);
    }

    @Override
    public String toString() {
        return format();
    }

    static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
