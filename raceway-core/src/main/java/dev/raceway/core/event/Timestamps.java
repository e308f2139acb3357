package dev.raceway.core.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * RFC 3339 timestamps as the wire uses them. Input: date {@code T} (or {@code t}/space) time with 0–9 fraction
 * digits and a mandatory offset ({@code Z}, {@code z} or {@code ±hh:mm}). Output: always UTC with {@code Z} and
 * the shortest of 0, 3, 6 or 9 fraction digits that is exact.
 */
public final class Timestamps {
    private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT);

    private Timestamps() {
    }

    /**
     * Parses an RFC 3339 timestamp with offset.
     *
     * @throws IllegalArgumentException with a reason when the text is not one
     */
    public static Instant parse(String text) {
        if (text.length() < 20 || text.length() > 40) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp with offset: '" + abbreviate(text) + "'");
        }
        char sep = text.charAt(10);
        if (sep != 'T' && sep != 't' && sep != ' ') {
            throw new IllegalArgumentException("not an RFC 3339 timestamp with offset: '" + abbreviate(text) + "'");
        }
        try {
            return OffsetDateTime.parse(text, PARSER).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp with offset: '" + abbreviate(text) + "'");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid timestamp '" + abbreviate(text) + "': " + e.getMessage());
        }
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

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
