package dev.raceway.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Which trace summaries to list.
 *
 * @param service   only traces with at least one event of this {@code service_name}
 * @param minEvents only traces with at least this many events (0 or 1 = all)
 * @param page      1-based page number
 * @param pageSize  summaries per page (the HTTP layer caps it; storage only requires it to be positive)
 */
public record TraceQuery(Optional<String> service, long minEvents, int page, int pageSize) {
    public TraceQuery {
        Objects.requireNonNull(service, "service");
        if (minEvents < 0) {
            throw new IllegalArgumentException("minEvents must be >= 0, got " + minEvents);
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1, got " + page);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, got " + pageSize);
        }
    }

    public static TraceQuery page(int page, int pageSize) {
        return new TraceQuery(Optional.empty(), 0, page, pageSize);
    }

    public TraceQuery withService(String serviceName) {
        return new TraceQuery(Optional.of(serviceName), minEvents, page, pageSize);
    }

    public TraceQuery withMinEvents(long min) {
        return new TraceQuery(service, min, page, pageSize);
    }

    /** Index of the first summary of this page in the full ordered list. */
    public long offset() {
        return (long) (page - 1) * pageSize;
    }
}
