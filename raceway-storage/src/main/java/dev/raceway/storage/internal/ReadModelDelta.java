package dev.raceway.storage.internal;

import dev.raceway.core.analysis.BaselineKey;
import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.storage.TraceOperation;
import dev.raceway.storage.TraceSummary;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What the newly inserted events of one batch contribute to the read models — per trace (events, time range,
 * wall-clock start, root and operation, services, variables accessed), spans, edges and duration baselines —
 * computed here once for every backend. A backend stores the events, then applies the delta to its own read models:
 * the memory store to its maps, PostgreSQL as one upsert per table. Each part is additive (counts add, ranges widen,
 * the earliest root wins, the first edge stays), so applying the deltas of a trace's batches in any order gives the
 * same read models as one delta of all its events.
 *
 * <p>Within the delta, the first event (in the given order) of a span names it and the first event of a span pair
 * names the edge, as the contract requires. Strings that key a read model pass through the backend's
 * {@code keyText} first (PostgreSQL cannot store NUL), so that two keys the backend stores alike are one entry.
 *
 * <p>This class is internal and is hence not for public use.
 */
public final class ReadModelDelta {
    private final Map<UUID, TraceDelta> traces = new LinkedHashMap<>();
    private final Map<String, SpanDelta> spans = new LinkedHashMap<>();
    private final Map<EdgeKey, EdgeDelta> edges = new LinkedHashMap<>();
    private final Map<String, DurationStats> baselines = new HashMap<>();

    private ReadModelDelta() {
    }

    /** The delta of {@code inserted} (the batch's new events, in arrival order), keys stored as they are. */
    public static ReadModelDelta of(List<Event> inserted) {
        return of(inserted, UnaryOperator.identity());
    }

    /**
     * The delta of {@code inserted} (the batch's new events, in arrival order); every string that keys a read
     * model (span ids, services, instances, baseline keys, variables, operations) passes through {@code keyText}.
     */
    public static ReadModelDelta of(List<Event> inserted, UnaryOperator<String> keyText) {
        Objects.requireNonNull(inserted, "inserted");
        Objects.requireNonNull(keyText, "keyText");
        ReadModelDelta d = new ReadModelDelta();
        // baseline statistics by variant and discriminator: the key string is built once per distinct key
        Map<String, Map<Object, BaselineGroup>> byKind = new HashMap<>();
        TraceDelta trace = null;
        SpanDelta span = null;
        EdgeDelta edge = null;
        for (int i = 0; i < inserted.size(); i++) {
            Event e = inserted.get(i);
            EventMetadata m = e.metadata();
            // Consecutive events mostly share trace, span and edge (a batch comes from one process, thread after
            // thread, and the decoder shares string instances): an identity check before the hash lookup.
            if (trace == null || !trace.traceId.equals(e.traceId())) {
                trace = d.traces.computeIfAbsent(e.traceId(), TraceDelta::new);
            }
            trace.add(i, e, keyText);
            if (m.durationNs().isPresent()) {
                byKind.computeIfAbsent(e.kind().variant(), v -> new HashMap<>(4))
                        .computeIfAbsent(BaselineKey.discriminator(e.kind()), x -> new BaselineGroup(e.kind()))
                        .add(m.durationNs().getAsLong() / 1e6);
            }
            if (m.distributedSpanId().isPresent()) {
                String spanId = keyText.apply(m.distributedSpanId().get());
                if (span == null || span.spanId != spanId) {
                    span = d.spans.get(spanId);
                    if (span == null) {
                        span = new SpanDelta(spanId, e.traceId(), keyText.apply(m.serviceName()),
                                keyText.apply(m.instanceId().orElse("")), e.timestamp());
                        d.spans.put(spanId, span);
                    }
                }
                span.include(e.timestamp());
                if (m.upstreamSpanId().isPresent()) {
                    String from = keyText.apply(m.upstreamSpanId().get());
                    if (edge == null || edge.from != from || edge.to != spanId) {
                        edge = d.edges.computeIfAbsent(new EdgeKey(from, spanId), k -> new EdgeDelta(k.from, k.to,
                                EdgeLinkType.forEventKind(e.kind()), e.id(), e.timestamp()));
                    }
                }
            }
        }
        for (Map<Object, BaselineGroup> groups : byKind.values()) {
            for (BaselineGroup g : groups.values()) {
                d.baselines.merge(keyText.apply(BaselineKey.of(g.kind)), g.stats(), DurationStats::merge);
            }
        }
        return d;
    }

    /** The durations of one baseline key's events. */
    private static final class BaselineGroup {
        final EventKind kind;
        long count;
        double sum;
        double sumSquares;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        BaselineGroup(EventKind kind) {
            this.kind = kind;
        }

        void add(double ms) {
            count++;
            sum += ms;
            sumSquares += ms * ms;
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }

        DurationStats stats() {
            return new DurationStats(count, sum, sumSquares, min, max);
        }
    }

    /** Per trace, in order of first appearance in the batch. */
    public Collection<TraceDelta> traces() {
        return traces.values();
    }

    /** Per span, in order of first appearance in the batch. */
    public Collection<SpanDelta> spans() {
        return spans.values();
    }

    /** One per span pair, in order of first appearance in the batch. */
    public Collection<EdgeDelta> edges() {
        return edges.values();
    }

    /** Duration statistics (ms) of the batch's events with a duration, by baseline key. */
    public Map<String, DurationStats> baselines() {
        return baselines;
    }

    public boolean isEmpty() {
        return traces.isEmpty();
    }

    private record EdgeKey(String from, String to) {
    }

    /** One trace's part of a batch. */
    public static final class TraceDelta {
        private final UUID traceId;
        private final Positions events = new Positions();
        private Instant first;
        private Instant last;
        private Instant start;
        private Event root;
        private String operation;
        private final Map<String, ServiceDelta> services = new LinkedHashMap<>(4);
        private final Map<String, Positions> variables = new LinkedHashMap<>(4);
        private ServiceDelta lastService;
        private String lastVariable;
        private String lastVariableKey;

        TraceDelta(UUID traceId) {
            this.traceId = traceId;
        }

        void add(int position, Event e, UnaryOperator<String> keyText) {
            events.add(position);
            Instant ts = e.timestamp();
            if (first == null) {
                first = ts;
                last = ts;
                start = ts;
            } else if (ts.isBefore(first)) {
                first = ts;
            } else if (ts.isAfter(last)) {
                last = ts;
            }
            Instant wallStart = TraceSummary.wallStart(e);
            if (wallStart.isBefore(start)) {
                start = wallStart;
            }
            if (e.parentId().isEmpty()
                    && (root == null || TraceOperation.precedes(ts, e.id(), root.timestamp(), root.id()))) {
                root = e;
                operation = TraceOperation.ofRootCandidate(e).map(keyText).orElse(null);
            }
            String service = e.metadata().serviceName();
            if (lastService == null || lastService.rawName != service) {
                String name = keyText.apply(service);
                lastService = services.computeIfAbsent(name, n -> new ServiceDelta(n, service));
            }
            lastService.add(ts);
            if (e.kind() instanceof EventKind.StateChange sc) {
                if (sc.variable() != lastVariable) {
                    lastVariable = sc.variable();
                    lastVariableKey = keyText.apply(lastVariable);
                }
                String variable = lastVariableKey;
                variables.computeIfAbsent(variable, v -> new Positions()).add(position);
            }
        }

        public UUID traceId() {
            return traceId;
        }

        /** How many of the batch's events belong to the trace. */
        public int eventCount() {
            return events.size();
        }

        /** The positions of the trace's events in the batch, in batch order. */
        public Positions events() {
            return events;
        }

        public Instant first() {
            return first;
        }

        public Instant last() {
            return last;
        }

        /** The wall-clock start: the earliest timestamp − duration (never after {@link #first()}). */
        public Instant start() {
            return start;
        }

        /** The batch's root candidate: its earliest event without a parent (timestamp, then id). */
        public Optional<Event> root() {
            return Optional.ofNullable(root);
        }

        /** The operation {@link #root()} names. */
        public Optional<String> operation() {
            return Optional.ofNullable(operation);
        }

        /** Per service (as stored), in order of first appearance. */
        public Collection<ServiceDelta> services() {
            return services.values();
        }

        /** Whether the trace's part has StateChange events. */
        public boolean hasStateChanges() {
            return !variables.isEmpty();
        }

        /** Variable (as stored) → the positions in the batch of the trace's StateChange events on it, in order. */
        public Map<String, Positions> variables() {
            return Collections.unmodifiableMap(variables);
        }
    }

    /** Positions of events in the batch, in batch order. */
    public static final class Positions {
        private int[] positions = new int[2];
        private int size;

        void add(int position) {
            if (size == positions.length) {
                positions = Arrays.copyOf(positions, 2 * size);
            }
            positions[size++] = position;
        }

        public int size() {
            return size;
        }

        public int get(int i) {
            Objects.checkIndex(i, size);
            return positions[i];
        }

        public int[] toArray() {
            return Arrays.copyOf(positions, size);
        }
    }

    /** One (trace, service)'s part of a batch. */
    public static final class ServiceDelta {
        private final String name;
        private final String rawName;
        private long eventCount;
        private Instant last;

        ServiceDelta(String name, String rawName) {
            this.name = name;
            this.rawName = rawName;
        }

        void add(Instant ts) {
            eventCount++;
            if (last == null || ts.isAfter(last)) {
                last = ts;
            }
        }

        public String name() {
            return name;
        }

        public long eventCount() {
            return eventCount;
        }

        public Instant last() {
            return last;
        }
    }

    /** One span's part of a batch; its trace, service and instance are those of its first event. */
    public static final class SpanDelta {
        private final String spanId;
        private final UUID traceId;
        private final String service;
        private final String instance;
        private Instant first;
        private Instant last;

        SpanDelta(String spanId, UUID traceId, String service, String instance, Instant at) {
            this.spanId = spanId;
            this.traceId = traceId;
            this.service = service;
            this.instance = instance;
            this.first = at;
            this.last = at;
        }

        void include(Instant at) {
            if (at.isBefore(first)) {
                first = at;
            } else if (at.isAfter(last)) {
                last = at;
            }
        }

        public String spanId() {
            return spanId;
        }

        public UUID traceId() {
            return traceId;
        }

        public String service() {
            return service;
        }

        public String instance() {
            return instance;
        }

        public Instant first() {
            return first;
        }

        public Instant last() {
            return last;
        }
    }

    /** An edge between two spans, named by the first event of the batch that revealed it. */
    public record EdgeDelta(String from, String to, EdgeLinkType linkType, UUID eventId, Instant timestamp) {
    }
}
