package dev.raceway.storage;

import java.util.List;

/**
 * One page of trace summaries.
 *
 * @param totalTraces number of traces matching the query over all pages
 */
public record TracePage(List<TraceSummary> traces, long totalTraces, int page, int pageSize) {
    public TracePage {
        traces = List.copyOf(traces);
        if (totalTraces < 0) {
            throw new IllegalArgumentException("totalTraces must be >= 0");
        }
    }

    /** {@code ceil(totalTraces / pageSize)}. */
    public long totalPages() {
        return (totalTraces + pageSize - 1) / pageSize;
    }
}
