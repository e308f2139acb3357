package dev.raceway.core.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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
        // By hand into one char array: this runs for every event an SDK sends and every event a response lists.
        long epochSecond = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        int secondOfDay = Math.floorMod(epochSecond, 86_400);
        char[] c = new char[30];
        writeDigits(c, 0, year, 4);
        c[4] = '-';
        writeDigits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        writeDigits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        writeDigits(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        writeDigits(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        writeDigits(c, 17, secondOfDay % 60, 2);
        int n = 19;
        int nanos = instant.getNano();
        int width = fractionDigits(nanos);
        if (width > 0) {
            c[n++] = '.';
            n = writeDigits(c, n, fraction(nanos, width), width);
        }
        c[n++] = 'Z';
        return new String(c, 0, n);
    }

    /** How many digits {@link #format} gives the fraction of a second: 0 (none), 3, 6 or 9. */
    public static int fractionDigits(int nanos) {
        if (nanos == 0) {
            return 0;
        }
        return nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    }

    /** The fraction of a second {@link #format} writes in {@code digits} digits. */
    public static int fraction(int nanos, int digits) {
        return digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
    }

    /** Writes {@code value} zero-padded to {@code width} digits at {@code at}; returns the index after them. */
    private static int writeDigits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static String abbreviate(CharSequence text) {
        String s = text.toString();
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
