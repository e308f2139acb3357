package dev.raceway.core.json;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often the ingest fast path ({@link EventJson#decodeBatch(byte[], int, int, DecodeLimits)}) left a body to the
 * general decoder, by {@link Reason}, and how often it failed with a defect (an unexpected exception, which the
 * general decoder then covered). A declined body costs a second decode; a defect is a bug: the first one is logged
 * with its stack trace (System.Logger), every one is counted. Process-wide, as the codec is; lock-free.
 */
public final class FastPathCounters {
    /** Why the fast path declined a body (the general decoder then decides what it means). */
    public enum Reason {
        /** Malformed JSON, or not the structure of a batch (an event or kind that is not an object…). */
        SYNTAX,
        /**
         * An event the general decoder rejects: a missing field, a value of the wrong type, a bad id, timestamp or
         * constant, a number out of range.
         */
        INVALID_EVENT,
        /** Beyond a decode limit: events per body, string length, collection size, clock components, value depth. */
        OVER_LIMIT,
        /** A key given twice in one object. */
        DUPLICATE_KEY,
        /** A string that is not well-formed UTF-8. */
        MALFORMED_UTF8,
        /** Legal input the fast path leaves to the general decoder (escaped keys, very long numbers, lone surrogates…). */
        UNSUPPORTED;

        /** The reason as a metrics label ({@code invalid_event}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final System.Logger LOG = System.getLogger(EventJson.class.getName());
    static final FastPathCounters INSTANCE = new FastPathCounters();

    private final LongAdder[] declines = new LongAdder[Reason.values().length];
    private final LongAdder defects = new LongAdder();
    private final AtomicBoolean defectLogged = new AtomicBoolean();

    private FastPathCounters() {
        for (int i = 0; i < declines.length; i++) {
            declines[i] = new LongAdder();
        }
    }

    /** Bodies declined for {@code reason} since the JVM started. */
    public long declines(Reason reason) {
        return declines[reason.ordinal()].sum();
    }

    /** Bodies on which the fast path failed with an unexpected exception since the JVM started. */
    public long defects() {
        return defects.sum();
    }

    void declined(Reason reason) {
        declines[reason.ordinal()].increment();
    }

    void defect(RuntimeException e) {
        defects.increment();
        if (defectLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.ERROR, "defect in the ingest fast path (the body was decoded by the general "
                    + "decoder instead; later defects are only counted)", e);
        }
    }
}
