package dev.raceway.storage;

import dev.raceway.core.event.Event;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads events and traces. Event lists are ordered as the reference orders them: by timestamp, then by
 * causality-vector length, then by event id (compared as unsigned 128-bit numbers, i.e. as the lower-case text
 * form sorts — the same order PostgreSQL uses for {@code uuid}).
 */
public interface TraceReader {

    /** One event by id. */
    Optional<Event> event(UUID eventId);

    /** All events of a trace, in the order above; empty when the trace is unknown. */
    List<Event> traceEvents(UUID traceId);

    /**
     * One page of trace summaries, newest first (by last event timestamp, ties by trace id ascending).
     * {@code page} is 1-based; a page past the end is empty but still reports the total.
     */
    TracePage traceSummaries(TraceQuery query);

    /** The summary of one trace. */
    Optional<TraceSummary> traceSummary(UUID traceId);

    /**
     * Calls {@code action} once per trace that has at least one {@code StateChange} event, with all events of that
     * trace (ordered as {@link #traceEvents}). Traces are visited one at a time so that global analysis never holds
     * every event at once; PostgreSQL streams them with a cursor. The order of traces is unspecified.
     */
    void forEachTraceWithStateChanges(Consumer<List<Event>> action);

    /**
     * Calls {@code action} once per known trace among {@code traceIds} (unknown ids are skipped), with all its events,
     * one trace at a time.
     */
    void forEachTrace(Collection<UUID> traceIds, Consumer<List<Event>> action);

    /** Number of stored events and traces. */
    StoreCounts counts();
}
