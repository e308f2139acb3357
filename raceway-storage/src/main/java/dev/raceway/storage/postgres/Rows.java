package dev.raceway.storage.postgres;

import dev.raceway.core.event.Event;
import dev.raceway.core.json.EventDecodeException;
import dev.raceway.core.json.EventJson;
import dev.raceway.storage.StorageException;
import java.time.Instant;
import java.util.UUID;

/** Conversions between events and column values. */
final class Rows {
    private Rows() {
    }

    /** The stored JSON of an event. */
    static String body(Event e) {
        return EventJson.toAsciiJson(e);
    }

    static Event event(String body) {
        try {
            return EventJson.decodeEvent(body);
        } catch (EventDecodeException ex) {
            throw new StorageException("a stored event could not be decoded: " + ex.getMessage(), false, ex);
        }
    }

    /**
     * Epoch nanoseconds, saturated: exact for 1677-09-21 … 2262-04-11. Outside that range only the index column is
     * clamped; the stored event keeps its exact timestamp.
     */
    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Text for an extracted (index) column: PostgreSQL text cannot hold NUL. */
    static String text(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static UUID uuid(Object o) {
        return o instanceof UUID u ? u : UUID.fromString(o.toString());
    }
}
