package dev.raceway.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsFormatTest {

    /** The same contract written with java.time: UTC, {@code Z}, the shortest exact 0/3/6/9 fraction digits. */
    private static String reference(Instant t) {
        int nanos = t.getNano();
        String pattern = nanos == 0 ? "" : nanos % 1_000_000 == 0 ? ".SSS" : nanos % 1_000 == 0 ? ".SSSSSS"
                : ".SSSSSSSSS";
        return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + pattern).format(t.atOffset(ZoneOffset.UTC))
                + "Z";
    }

    @Test
    void formatsLikeJavaTimeAcrossTheFourDigitYearsAndEveryFractionWidth() {
        Random random = new Random(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long second = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertThat(Timestamps.format(t)).isEqualTo(reference(t));
            assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
        }
    }

    @Test
    void edgesOfDaysAndEpoch() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00.002Z", "2000-01-01T00:00:00.000001Z", "0000-01-01T00:00:00Z"}) {
            assertThat(Timestamps.format(Instant.parse(s))).isEqualTo(s);
        }
    }
}
