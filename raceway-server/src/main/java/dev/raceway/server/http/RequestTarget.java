package dev.raceway.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The one canonical form of a request target, from which routing, authentication, rate limiting and metrics all
 * decide: origin-form ({@code /path?query}) or absolute-form ({@code http://host/path?query}, reduced to its
 * path); each segment percent-decoded (strict UTF-8), empty and {@code .} segments dropped, {@code ..} resolved, and
 * re-encoded so that only characters that would change the path's structure ({@code /}, {@code %}, {@code ?},
 * {@code #}, spaces, controls and non-ASCII) stay escaped. So {@code //api/./traces/}, {@code /%61pi/traces} and
 * {@code /x/../api/traces} are all {@code /api/traces}; {@code api/traces}, {@code *} and {@code /../x} are refused.
 */
public final class RequestTarget {
    private RequestTarget() {
    }

    /** A request target that cannot be made canonical; the message says why (for a 400). */
    public static final class InvalidTargetException extends Exception {
        InvalidTargetException(String message) {
            super(message);
        }
    }

    /** The canonical target: canonical path, then the query exactly as sent (with its {@code ?}), if any. */
    public static String canonical(String target) throws InvalidTargetException {
        if (target.isEmpty()) {
            throw new InvalidTargetException("empty request target");
        }
        String rest = target;
        if (!rest.startsWith("/")) {
            rest = absoluteFormPath(rest);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            throw new InvalidTargetException("request target must not contain a fragment (#)");
        }
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q);
        return canonicalPath(path) + query;
    }

    private static String absoluteFormPath(String target) throws InvalidTargetException {
        String lower = target.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            throw new InvalidTargetException("request target must be a path starting with '/' (or an absolute "
                    + "http(s) URL), got '" + ApiRequest.abbreviate(target) + "'");
        }
        int slash = target.indexOf('/', schemeEnd);
        int query = target.indexOf('?', schemeEnd);
        String authority = target.substring(schemeEnd, slash < 0 ? (query < 0 ? target.length() : query) : slash);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw new InvalidTargetException("absolute request target needs a host and no user information");
        }
        if (slash < 0 || (query >= 0 && query < slash)) {
            return "/" + (query < 0 ? "" : target.substring(query));
        }
        return target.substring(slash);
    }

    private static String canonicalPath(String raw) throws InvalidTargetException {
        Deque<String> segments = new ArrayDeque<>();
        int start = 1;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            String segment = decode(raw, start, end);
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidTargetException("request path climbs above the root ('..')");
                }
                segments.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
            start = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (String s : segments) {
            out.append('/');
            encode(s, out);
        }
        return out.toString();
    }

    private static String decode(String raw, int from, int to) throws InvalidTargetException {
        if (raw.indexOf('%', from) < 0 || raw.indexOf('%', from) >= to) {
            checkChars(raw, from, to, false);
            return raw.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < to ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidTargetException("malformed percent-encoding in request path");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new InvalidTargetException("request path contains a non-ASCII character (percent-encode it)");
            }
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTargetException("request path is not valid UTF-8 once percent-decoded");
        }
        checkChars(s, 0, s.length(), true);
        return s;
    }

    private static void checkChars(String s, int from, int to, boolean decoded) throws InvalidTargetException {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new InvalidTargetException("request path contains a control character or backslash");
            }
            if (c >= 0x80 && !decoded) {
                throw new InvalidTargetException("request path contains a non-ASCII character (percent-encode it)");
            }
        }
    }

    private static void encode(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isKept(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** RFC 3986 unreserved, sub-delims, ':' and '@': the characters a path segment may hold unescaped. */
    private static boolean isKept(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }
}
