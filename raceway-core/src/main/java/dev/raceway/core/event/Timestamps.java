package dev.raceway.core.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 timestamps as the wire uses them. Input: date {@code T} (or {@code t}/space) time with 0–9 fraction
 * digits and a mandatory offset ({@code Z}, {@code z} or {@code ±hh:mm}). Output: always UTC with {@code Z} and
 * the shortest of 0, 3, 6 or 9 fraction digits that is exact.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * Parses an RFC 3339 timestamp with offset. Takes any character sequence so that a decoder can parse straight
     * from its buffer without building a String per event.
     *
     * @throws IllegalArgumentException with a reason when the text is not one
     */
    public static Instant parse(CharSequence text) {
        // Hand-rolled: this runs once per ingested event and DateTimeFormatter is several times slower.
        int n = text.length();
        if (n < 20 || n > 40 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7)
                || text.charAt(7) != '-' || !digits(text, 8, 10) || !isDateTimeSeparator(text.charAt(10))
                || !digits(text, 11, 13) || text.charAt(13) != ':' || !digits(text, 14, 16)
                || text.charAt(16) != ':' || !digits(text, 17, 19)) {
            throw notRfc3339(text);
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                throw new IllegalArgumentException("timestamp '" + abbreviate(text)
                        + "' must have 1 to 9 fraction digits");
            }
            nanos = number(text, start, i);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            throw notRfc3339(text);
        }
        int offsetSeconds;
        char z = text.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && digits(text, i + 1, i + 3) && text.charAt(i + 3) == ':'
                && digits(text, i + 4, i + 6)) {
            int oh = number(text, i + 1, i + 3);
            int om = number(text, i + 4, i + 6);
            if (oh > 23 || om > 59) {
                throw invalid(text, "offset out of range");
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            throw notRfc3339(text);
        }
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            throw invalid(text, "no such date");
        }
        if (hour > 23 || minute > 59 || second > 60) {
            throw invalid(text, "time out of range");
        }
        if (second == 60) { // a leap second: the last representable instant of that minute
            second = 59;
            nanos = 999_999_999;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    private static boolean isDateTimeSeparator(char c) {
        return c == 'T' || c == 't' || c == ' ';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(CharSequence s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int number(CharSequence s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static IllegalArgumentException notRfc3339(CharSequence text) {
        return new IllegalArgumentException("not an RFC 3339 timestamp with offset: '" + abbreviate(text) + "'");
    }

    private static IllegalArgumentException invalid(CharSequence text, String why) {
        return new IllegalArgumentException("invalid timestamp '" + abbreviate(text) + "': " + why);
    }

    /** Formats as RFC 3339 UTC with {@code Z}, e.g. {@code 2024-01-01T12:00:00.002Z}. */
    public static String format(Instant instant) {
        StringBuilder sb = new StringBuilder(30);
        var t = instant.atOffset(ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        pad(sb, year, 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            sb.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(sb, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(sb, nanos / 1_000, 6);
            } else {
                pad(sb, nanos, 9);
            }
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static String abbreviate(CharSequence text) {
        String s = text.toString();
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
