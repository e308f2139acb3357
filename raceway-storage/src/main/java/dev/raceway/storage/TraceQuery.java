package dev.raceway.storage;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which trace summaries to list, newest last event first. Every filter is optional; a summary is listed when it
 * passes all given ones ({@link #matches}, which both backends implement: the memory store calls it, PostgreSQL
 * states the same conditions in SQL).
 *
 * @param service       only traces with at least one event of this {@code service_name}
 * @param minEvents     only traces with at least this many events (0 or 1 = all)
 * @param page          1-based page number
 * @param pageSize      summaries per page (the HTTP layer caps it; storage only requires it to be positive)
 * @param operation     only traces whose {@link TraceSummary#operation()} contains this text, ignoring case
 * @param minDurationMs only traces whose wall-clock duration ({@link TraceSummary#durationMs()}) is at least this
 * @param maxDurationMs only traces whose wall-clock duration is at most this
 * @param since         only traces that started ({@link TraceSummary#startTimestamp()}) at or after this
 * @param until         only traces that started at or before this
 * @param idPrefix      only traces whose id, as lower-case text with dashes, starts with this (lower-case hex digits
 *                      and dashes, at most 36 characters)
 */
public record TraceQuery(Optional<String> service, long minEvents, int page, int pageSize, Optional<String> operation,
                         OptionalLong minDurationMs, OptionalLong maxDurationMs, Optional<Instant> since,
                         Optional<Instant> until, Optional<String> idPrefix) {
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]{1,36}");

    public TraceQuery {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(minDurationMs, "minDurationMs");
        Objects.requireNonNull(maxDurationMs, "maxDurationMs");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(idPrefix, "idPrefix");
        if (minEvents < 0) {
            throw new IllegalArgumentException("minEvents must be >= 0, got " + minEvents);
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1, got " + page);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, got " + pageSize);
        }
        if (minDurationMs.isPresent() && minDurationMs.getAsLong() < 0
                || maxDurationMs.isPresent() && maxDurationMs.getAsLong() < 0) {
            throw new IllegalArgumentException("durations must be >= 0");
        }
        if (idPrefix.isPresent() && !ID_PREFIX.matcher(idPrefix.get()).matches()) {
            throw new IllegalArgumentException("idPrefix must be 1 to 36 lower-case hex digits and dashes, got '"
                    + idPrefix.get() + "'");
        }
    }

    public static TraceQuery page(int page, int pageSize) {
        return new TraceQuery(Optional.empty(), 0, page, pageSize, Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public TraceQuery withService(String serviceName) {
        return new TraceQuery(Optional.of(serviceName), minEvents, page, pageSize, operation, minDurationMs,
                maxDurationMs, since, until, idPrefix);
    }

    public TraceQuery withMinEvents(long min) {
        return new TraceQuery(service, min, page, pageSize, operation, minDurationMs, maxDurationMs, since, until,
                idPrefix);
    }

    public TraceQuery withOperation(String text) {
        return new TraceQuery(service, minEvents, page, pageSize, Optional.of(text), minDurationMs, maxDurationMs,
                since, until, idPrefix);
    }

    public TraceQuery withDurationMs(OptionalLong min, OptionalLong max) {
        return new TraceQuery(service, minEvents, page, pageSize, operation, min, max, since, until, idPrefix);
    }

    public TraceQuery withStartedBetween(Optional<Instant> from, Optional<Instant> to) {
        return new TraceQuery(service, minEvents, page, pageSize, operation, minDurationMs, maxDurationMs, from, to,
                idPrefix);
    }

    public TraceQuery withIdPrefix(String prefix) {
        return new TraceQuery(service, minEvents, page, pageSize, operation, minDurationMs, maxDurationMs, since,
                until, Optional.of(prefix));
    }

    /** The same filters, another page. */
    public TraceQuery withPage(int newPage, int newPageSize) {
        return new TraceQuery(service, minEvents, newPage, newPageSize, operation, minDurationMs, maxDurationMs,
                since, until, idPrefix);
    }

    /** Index of the first summary of this page in the full ordered list. */
    public long offset() {
        return (long) (page - 1) * pageSize;
    }

    /**
     * Whether {@code s} passes every filter. The service filter needs the trace's services, which a summary has.
     */
    public boolean matches(TraceSummary s) {
        if (s.eventCount() < minEvents) {
            return false;
        }
        if (service.isPresent() && !s.services().contains(service.get())) {
            return false;
        }
        if (operation.isPresent() && (s.operation().isEmpty() || !s.operation().get().toLowerCase(Locale.ROOT)
                .contains(operation.get().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        double ms = s.durationMs();
        if (minDurationMs.isPresent() && ms < minDurationMs.getAsLong()
                || maxDurationMs.isPresent() && ms > maxDurationMs.getAsLong()) {
            return false;
        }
        if (since.isPresent() && s.startTimestamp().isBefore(since.get())
                || until.isPresent() && s.startTimestamp().isAfter(until.get())) {
            return false;
        }
        return idPrefix.isEmpty() || s.traceId().toString().startsWith(idPrefix.get());
    }
}
