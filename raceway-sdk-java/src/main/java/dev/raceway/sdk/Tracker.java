package dev.raceway.sdk;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.sdk.internal.CallerLocation;
import dev.raceway.sdk.internal.Counters;
import dev.raceway.sdk.internal.EventSender;
import dev.raceway.sdk.internal.RateLimitedLog;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The guard every tracking call goes through, and the one place an event is made: finds the current context (a
 * call with tracking off or outside any context makes nothing; outside a context it is counted and said once),
 * builds the event at the context's next position and queues it. A tracking call never throws: a kind that
 * refuses its input is counted as invalid and logged at most once a minute.
 */
final class Tracker {
    private static final System.Logger LOG = System.getLogger("dev.raceway.sdk");
    static final long PID = ProcessHandle.current().pid();
    /** What {@link #record(RacewayContext, String, Supplier, long)} takes for an event without a duration. */
    static final long NO_DURATION = -1;

    private final RacewayConfig config;
    private final Counters counters;
    private final EventSender sender;
    private final Map<String, String> tags;
    private final Optional<String> instanceValue;
    private final RateLimitedLog invalidLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    private volatile boolean warnedOutsideContext;

    Tracker(RacewayConfig config, Counters counters, EventSender sender) {
        this.config = config;
        this.counters = counters;
        this.sender = sender;
        Map<String, String> t = new LinkedHashMap<>(config.tags());
        t.put("sdk_language", "java");
        this.tags = Map.copyOf(t);
        this.instanceValue = Optional.of(config.instanceId());
    }

    /** The context a tracking call records into, or null: tracking is off, or there is none (counted). */
    RacewayContext context() {
        if (!config.enabled()) {
            return null;
        }
        RacewayContext ctx = RacewayContext.currentOrNull();
        if (ctx == null) {
            outsideContext();
        }
        return ctx;
    }

    /** Records in {@code ctx}; a kind that refuses its input (or a failed duration conversion) is counted. */
    void record(RacewayContext ctx, String call, Supplier<EventKind> kind, long durationNs) {
        try {
            emit(ctx, kind.get(), durationNs);
        } catch (RuntimeException e) {
            invalid(call + " failed: " + e);
        }
    }

    /** Takes the context's next position and queues the event. */
    void emit(RacewayContext ctx, EventKind kind, long durationNs) {
        if (!config.enabled()) {
            return;
        }
        RacewayContext.Tick tick = ctx.advance();
        EventMetadata metadata = new EventMetadata(ctx.threadId(), PID, config.serviceName(), config.environment(),
                tags, durationNs >= 0 ? OptionalLong.of(durationNs) : OptionalLong.empty(), instanceValue,
                ctx.spanIdValue(), ctx.parentSpanId());
        sender.offer(new Event(tick.id(), ctx.traceId(), tick.parent(), Instant.now(), kind, metadata, tick.clock(),
                List.of()));
    }

    /** The caller's location, when location capture is on. */
    CallerLocation location() {
        return config.captureLocation() ? CallerLocation.capture() : CallerLocation.UNKNOWN;
    }

    void invalid(String message) {
        counters.invalid();
        invalidLog.log("Raceway: " + message + "; call ignored");
    }

    /**
     * A tracking call with no context on its thread makes no event: usually work handed to another thread without
     * its context, or code that runs outside any request. Counted, and said once (a plain volatile read after
     * that, so the no-op stays a few nanoseconds).
     */
    private void outsideContext() {
        counters.outsideContext();
        if (!warnedOutsideContext) {
            warnedOutsideContext = true;
            if (LOG.isLoggable(Level.WARNING)) {
                LOG.log(Level.WARNING, "Raceway: a tracking call on thread '" + Thread.currentThread().getName()
                        + "' found no current Raceway context and recorded nothing (at "
                        + CallerLocation.capture().text() + "). Carry the request's context to other threads"
                        + " (RacewayContext.wrap, taskWrapping, fork) or open one (client.newTrace().makeCurrent())."
                        + " Such calls are counted in client.stats().outsideContext(); this is logged once.");
            }
        }
    }
}
