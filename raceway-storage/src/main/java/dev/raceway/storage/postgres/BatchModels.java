package dev.raceway.storage.postgres;

import dev.raceway.core.analysis.BaselineKey;
import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.storage.TraceOperation;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.internal.EventOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The read-model rows contributed by the newly inserted events of one batch, aggregated in Java so that each table
 * gets one statement with one row per key. Rows are sorted by key: concurrent writers then lock rows in the same
 * order and cannot deadlock each other.
 */
final class BatchModels {
    static final class TraceRow {
        final UUID traceId;
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long start = Long.MAX_VALUE;
        boolean stateChanges;
        /** The batch's root candidate for the trace (see {@code TraceOperation}); null when it has none. */
        Event root;
        String operation;

        TraceRow(UUID traceId) {
            this.traceId = traceId;
        }
    }

    record ServiceKey(UUID traceId, String service) {
    }

    static final class ServiceRow {
        long count;
        long last = Long.MIN_VALUE;
    }

    static final class SpanRow {
        final String spanId;
        final UUID traceId;
        final String service;
        final String instance;
        long first;
        long last;

        SpanRow(String spanId, UUID traceId, String service, String instance, long ts) {
            this.spanId = spanId;
            this.traceId = traceId;
            this.service = service;
            this.instance = instance;
            this.first = ts;
            this.last = ts;
        }
    }

    record EdgeRow(String from, String to, EdgeLinkType linkType, UUID eventId, long ts) {
    }

    final List<TraceRow> traces;
    final List<Map.Entry<ServiceKey, ServiceRow>> services;
    final List<SpanRow> spans;
    final List<EdgeRow> edges;
    final Map<String, DurationStats> baselines;

    /** @param inserted the batch's newly inserted events, in arrival order */
    BatchModels(List<Event> inserted) {
        Map<UUID, TraceRow> traceRows = new TreeMap<>(EventOrder.UUID_ORDER);
        Map<ServiceKey, ServiceRow> serviceRows = new TreeMap<>(Comparator.comparing(ServiceKey::traceId,
                EventOrder.UUID_ORDER).thenComparing(ServiceKey::service));
        Map<String, SpanRow> spanRows = new TreeMap<>();
        Map<List<String>, EdgeRow> edgeRows = new LinkedHashMap<>();
        Map<String, DurationStats> stats = new TreeMap<>();
        for (Event e : inserted) {
            long ts = Rows.nanos(e.timestamp());
            EventMetadata m = e.metadata();
            String service = Rows.text(m.serviceName());
            TraceRow t = traceRows.computeIfAbsent(e.traceId(), TraceRow::new);
            t.count++;
            t.first = Math.min(t.first, ts);
            t.last = Math.max(t.last, ts);
            t.start = Math.min(t.start, Rows.nanos(TraceSummary.wallStart(e)));
            if (e.parentId().isEmpty() && (t.root == null
                    || TraceOperation.precedes(e.timestamp(), e.id(), t.root.timestamp(), t.root.id()))) {
                t.root = e;
                t.operation = TraceOperation.ofRootCandidate(e).map(Rows::text).orElse(null);
            }
            ServiceRow s = serviceRows.computeIfAbsent(new ServiceKey(e.traceId(), service), k -> new ServiceRow());
            s.count++;
            s.last = Math.max(s.last, ts);
            if (e.kind() instanceof EventKind.StateChange) {
                t.stateChanges = true;
            }
            if (m.durationNs().isPresent()) {
                stats.merge(Rows.text(BaselineKey.of(e.kind())), DurationStats.of(m.durationNs().getAsLong() / 1e6),
                        DurationStats::merge);
            }
            if (m.distributedSpanId().isPresent()) {
                String spanId = Rows.text(m.distributedSpanId().get());
                SpanRow span = spanRows.get(spanId);
                if (span == null) {
                    spanRows.put(spanId, new SpanRow(spanId, e.traceId(), service,
                            Rows.text(m.instanceId().orElse("")), ts));
                } else {
                    span.first = Math.min(span.first, ts);
                    span.last = Math.max(span.last, ts);
                }
                if (m.upstreamSpanId().isPresent()) {
                    String from = Rows.text(m.upstreamSpanId().get());
                    edgeRows.putIfAbsent(List.of(from, spanId),
                            new EdgeRow(from, spanId, EdgeLinkType.forEventKind(e.kind()), e.id(), ts));
                }
            }
        }
        this.traces = new ArrayList<>(traceRows.values());
        this.services = new ArrayList<>(serviceRows.entrySet());
        this.spans = new ArrayList<>(spanRows.values());
        List<EdgeRow> edgeList = new ArrayList<>(edgeRows.values());
        edgeList.sort(Comparator.comparing(EdgeRow::from).thenComparing(EdgeRow::to));
        this.edges = edgeList;
        this.baselines = stats;
    }
}
