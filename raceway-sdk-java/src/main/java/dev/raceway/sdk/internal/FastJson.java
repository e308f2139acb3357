package dev.raceway.sdk.internal;

import dev.raceway.core.event.JsonValue;

/**
 * {@link JsonValue#of(Object)} with shortcuts for the values tracking calls pass most often (integers, plain
 * strings, booleans): those skip creating a JSON generator on the caller's thread. Never throws for ordinary
 * values.
 */
public final class FastJson {
    private FastJson() {
    }

    public static JsonValue of(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return JsonValue.ofCompactJson(Long.toString(((Number) value).longValue()));
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof String s && isPlain(s)) {
            return JsonValue.ofCompactJson("\"" + s + "\"");
        }
        return JsonValue.of(value);
    }

    /** True when the string needs no JSON escaping. */
    private static boolean isPlain(String s) {
        if (s.length() > 256) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
