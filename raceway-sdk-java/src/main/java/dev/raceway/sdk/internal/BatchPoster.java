package dev.raceway.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.Event;
import dev.raceway.core.json.EventJson;
import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.TransportAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one batch to {@code POST /events} with the retry policy: 408, 429 and 5xx responses and I/O errors are
 * retried with jittered, capped exponential backoff (a {@code Retry-After} wins) for as long as the server has
 * been failing for less than {@code maxRetryTime} (an <em>outage</em>: the time since the first failed attempt
 * after the last success, shared by all sender threads), so a server restart or redeploy loses nothing; past that,
 * a batch whose attempt fails is given up at once and counted as failed. A 413 splits the batch in halves once;
 * other 4xx answers are final. A 2xx answer that lists {@code rejected} events counts them as rejected, never
 * retried. Runs on the sender threads, one batch each; while they wait, the queue buffers new events (and drops
 * and counts what does not fit), so the application is never blocked.
 *
 * <p>The HTTP call itself is the {@link EventTransport}'s; this class holds the policy, whichever transport
 * carries the bytes.
 */
final class BatchPoster {
    private static final JsonFactory RESPONSE_JSON = new JsonFactory();

    private final EventTransport transport;
    private final TransportSettings settings;
    private final Counters counters;
    private final BooleanSupplier giveUp;
    private final Object sleeper = new Object();
    private final RateLimitedLog failureLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    private final RateLimitedLog rejectionLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    private final RateLimitedLog retryLog = new RateLimitedLog(Level.INFO, TimeUnit.MINUTES.toNanos(1));
    private final RateLimitedLog recoveryLog = new RateLimitedLog(Level.INFO, TimeUnit.MINUTES.toNanos(1));
    /** {@link System#nanoTime()} at the first failed attempt since the last success; {@link #NO_OUTAGE} if none. */
    private final AtomicLong failingSince = new AtomicLong(NO_OUTAGE);
    private static final long NO_OUTAGE = Long.MIN_VALUE;

    /** @param giveUp true once the client is closing and its deadline passed: stop retrying */
    BatchPoster(EventTransport transport, TransportSettings settings, Counters counters, BooleanSupplier giveUp) {
        this.transport = transport;
        this.settings = settings;
        this.counters = counters;
        this.giveUp = giveUp;
    }

    /** Wakes a retry wait early (used when closing). */
    void interruptWait() {
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    void send(List<Event> events) {
        send(events, false);
    }

    private void send(List<Event> events, boolean alreadySplit) {
        if (events.isEmpty()) {
            return;
        }
        byte[] body = EventJson.encodeBatch(events);
        if (body.length > settings.maxBatchBytes() && events.size() > 1) {
            int half = events.size() / 2;
            send(events.subList(0, half), alreadySplit);
            send(events.subList(half, events.size()), alreadySplit);
            return;
        }
        byte[] wire;
        try {
            wire = settings.gzip() ? gzip(body) : body;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory compression does not fail
        }
        long budget = settings.maxRetryTime().toNanos();
        for (int attempt = 1; ; attempt++) {
            long retryAfterNanos = -1;
            String problem;
            long attemptStart = System.nanoTime();
            try {
                TransportAnswer response = transport.post(wire);
                int code = response.status();
                if (code < 500 && code != 408 && code != 429) {
                    serverAnswered();
                }
                if (code >= 200 && code < 300) {
                    int rejected = Math.min(rejectedCount(response.body()), events.size());
                    counters.sent(events.size() - rejected);
                    if (rejected > 0) {
                        counters.rejected(rejected);
                        rejectionLog.log("Raceway server rejected " + rejected + " of " + events.size()
                                + " events as invalid; they are not retried");
                    }
                    return;
                }
                if (code == 413 && events.size() > 1 && !alreadySplit) {
                    int half = events.size() / 2;
                    send(events.subList(0, half), true);
                    send(events.subList(half, events.size()), true);
                    return;
                }
                if (!(code == 408 || code == 429 || code >= 500)) {
                    counters.failed(events.size());
                    failureLog.log("Raceway server refused a batch of " + events.size() + " events with HTTP "
                            + code + snippet(response.body()) + "; not retried");
                    return;
                }
                retryAfterNanos = retryAfter(response.retryAfter().orElse(null));
                problem = "HTTP " + code;
            } catch (IOException | RuntimeException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            long outage = outageSoFar(attemptStart);
            long delay = retryAfterNanos >= 0 ? retryAfterNanos : backoff(attempt);
            // The last attempt is made when the outage reaches its limit; a failure after that gives up.
            delay = Math.min(Math.min(delay, settings.maxBackoff().toNanos()), budget - outage);
            if (attempt >= settings.maxAttempts() || outage >= budget || giveUp.getAsBoolean()) {
                counters.failed(events.size());
                failureLog.log("Raceway: giving up on a batch of " + events.size() + " events after " + attempt
                        + " attempts; the server has been failing for " + TimeUnit.NANOSECONDS.toSeconds(outage)
                        + " s (" + problem + "). Counted in client.stats().failed()");
                return;
            }
            counters.retried();
            retryLog.log("Raceway: the server is not taking events (" + problem + "); retrying for up to "
                    + settings.maxRetryTime().toSeconds() + " s while new events are queued");
            if (!pause(delay)) {
                counters.failed(events.size());
                failureLog.log("Raceway: dropping a batch of " + events.size() + " events: client closed");
                return;
            }
        }
    }

    /** Nanoseconds since the current outage began (it begins at {@code attemptStart} if none was going on). */
    private long outageSoFar(long attemptStart) {
        failingSince.compareAndSet(NO_OUTAGE, attemptStart);
        long since = failingSince.get();
        return since == NO_OUTAGE ? 0 : Math.max(System.nanoTime() - since, 0);
    }

    /** The server answered (anything but a retryable failure): an outage, if there was one, is over. */
    private void serverAnswered() {
        long since = failingSince.getAndSet(NO_OUTAGE);
        if (since != NO_OUTAGE) {
            recoveryLog.log("Raceway: the server is taking events again after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms");
        }
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.toByteArray();
    }

    private long backoff(int attempt) {
        long base = settings.initialBackoff().toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 0), settings.maxBackoff().toNanos());
        // Full jitter in [capped/2, capped]: spreads retries of many clients after a server restart.
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    /** Sleeps; false when the client is giving up (closing past its deadline). */
    private boolean pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (sleeper) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (giveUp.getAsBoolean()) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !giveUp.getAsBoolean();
    }

    /** {@code Retry-After} as seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? -1 : TimeUnit.SECONDS.toNanos(Math.min(seconds, 86_400));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                long millis = at.toEpochMilli() - System.currentTimeMillis();
                return TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0));
            } catch (RuntimeException notADate) {
                return -1;
            }
        }
    }

    /**
     * How many events a successful answer says were rejected: the length of a {@code rejected} array (or a
     * {@code rejected} number) at the top level or inside {@code data}. 0 when there is none.
     */
    static int rejectedCount(byte[] json) {
        try (JsonParser p = RESPONSE_JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            return scanObject(p, 0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static int scanObject(JsonParser p, int depth) throws IOException {
        int found = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ("rejected".equals(name) && t == JsonToken.START_ARRAY) {
                int n = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                    n++;
                }
                found = Math.max(found, n);
            } else if ("rejected".equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
                found = Math.max(found, p.getIntValue());
            } else if ("data".equals(name) && t == JsonToken.START_OBJECT && depth == 0) {
                found = Math.max(found, scanObject(p, depth + 1));
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
        return text.isBlank() ? "" : " (" + text.replaceAll("\\s+", " ") + ")";
    }
}
