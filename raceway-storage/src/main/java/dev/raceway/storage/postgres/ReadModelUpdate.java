package dev.raceway.storage.postgres;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.Event;
import dev.raceway.storage.internal.EventOrder;
import dev.raceway.storage.internal.ReadModelDelta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A batch's {@link ReadModelDelta} as a single statement of data-modifying CTEs (one round trip instead of five),
 * each table's rows passed as arrays and unnested. It is built in Java before it is sent, so that the writer can
 * prepare it while the server is still inserting the batch's events.
 */
final class ReadModelUpdate {
    private record Column(String type, Object[] values) {
    }

    private final String sql;
    private final List<Column> columns;

    private ReadModelUpdate(String sql, List<Column> columns) {
        this.sql = sql;
        this.columns = columns;
    }

    /**
     * The statement for a batch's delta (its keys already as {@link Rows#text} stores them); empty when the batch
     * touches no read model. Rows are sorted by key: concurrent writers then lock rows in the same order and cannot
     * deadlock each other.
     */
    static Optional<ReadModelUpdate> of(ReadModelDelta delta) {
        List<String> parts = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        List<ReadModelDelta.TraceDelta> traces = new ArrayList<>(delta.traces());
        traces.sort(Comparator.comparing(ReadModelDelta.TraceDelta::traceId, EventOrder.UUID_ORDER));
        if (!traces.isEmpty()) {
            int n = traces.size();
            Object[] id = new Object[n];
            Object[] count = new Object[n];
            Object[] first = new Object[n];
            Object[] last = new Object[n];
            Object[] sc = new Object[n];
            Object[] start = new Object[n];
            Object[] rootTs = new Object[n];
            Object[] rootId = new Object[n];
            Object[] operation = new Object[n];
            for (int i = 0; i < n; i++) {
                ReadModelDelta.TraceDelta t = traces.get(i);
                id[i] = t.traceId();
                count[i] = (long) t.eventCount();
                first[i] = Rows.nanos(t.first());
                last[i] = Rows.nanos(t.last());
                sc[i] = t.hasStateChanges();
                start[i] = Rows.nanos(t.start());
                rootTs[i] = t.root().map(r -> Rows.nanos(r.timestamp())).orElse(null);
                rootId[i] = t.root().map(Event::id).orElse(null);
                operation[i] = t.operation().orElse(null);
            }
            // The root: the stored one unless this batch's comes first (a NULL on either side compares as unknown,
            // so a batch without a root keeps the stored one, and a first root replaces NULL).
            String newRoot = "(traces.root_ts_ns IS NULL OR (EXCLUDED.root_ts_ns, EXCLUDED.root_id) "
                    + "< (traces.root_ts_ns, traces.root_id))";
            parts.add("INSERT INTO traces (trace_id, event_count, first_ts_ns, last_ts_ns, has_state_changes, "
                    + "start_ts_ns, root_ts_ns, root_id, operation) "
                    + "SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], "
                    + "?::bigint[], ?::bigint[], ?::uuid[], ?::text[]) "
                    + "ON CONFLICT (trace_id) DO UPDATE SET event_count = traces.event_count + EXCLUDED.event_count, "
                    + "first_ts_ns = LEAST(traces.first_ts_ns, EXCLUDED.first_ts_ns), "
                    + "last_ts_ns = GREATEST(traces.last_ts_ns, EXCLUDED.last_ts_ns), "
                    + "has_state_changes = traces.has_state_changes OR EXCLUDED.has_state_changes, "
                    + "start_ts_ns = LEAST(traces.start_ts_ns, EXCLUDED.start_ts_ns), "
                    + "root_ts_ns = CASE WHEN " + newRoot + " THEN EXCLUDED.root_ts_ns ELSE traces.root_ts_ns END, "
                    + "root_id = CASE WHEN " + newRoot + " THEN EXCLUDED.root_id ELSE traces.root_id END, "
                    + "operation = CASE WHEN " + newRoot + " THEN EXCLUDED.operation ELSE traces.operation END");
            columns.addAll(List.of(new Column("uuid", id), new Column("int8", count), new Column("int8", first),
                    new Column("int8", last), new Column("bool", sc), new Column("int8", start),
                    new Column("int8", rootTs), new Column("uuid", rootId), new Column("text", operation)));
        }
        List<Object[]> services = new ArrayList<>();
        for (ReadModelDelta.TraceDelta t : traces) { // by trace, then service
            List<ReadModelDelta.ServiceDelta> ofTrace = new ArrayList<>(t.services());
            ofTrace.sort(Comparator.comparing(ReadModelDelta.ServiceDelta::name));
            for (ReadModelDelta.ServiceDelta s : ofTrace) {
                services.add(new Object[] {t.traceId(), s.name(), s.eventCount(), Rows.nanos(s.last())});
            }
        }
        if (!services.isEmpty()) {
            int n = services.size();
            Object[] trace = new Object[n];
            Object[] name = new Object[n];
            Object[] count = new Object[n];
            Object[] last = new Object[n];
            for (int i = 0; i < n; i++) {
                Object[] s = services.get(i);
                trace[i] = s[0];
                name[i] = s[1];
                count[i] = s[2];
                last[i] = s[3];
            }
            parts.add("INSERT INTO trace_services (trace_id, service_name, event_count, last_ts_ns) "
                    + "SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[]) "
                    + "ON CONFLICT (trace_id, service_name) DO UPDATE SET "
                    + "event_count = trace_services.event_count + EXCLUDED.event_count, "
                    + "last_ts_ns = GREATEST(trace_services.last_ts_ns, EXCLUDED.last_ts_ns)");
            columns.addAll(List.of(new Column("uuid", trace), new Column("text", name), new Column("int8", count),
                    new Column("int8", last)));
        }
        if (!delta.baselines().isEmpty()) {
            int n = delta.baselines().size();
            Object[][] cols = new Object[6][n];
            int i = 0;
            for (Map.Entry<String, DurationStats> b : new TreeMap<>(delta.baselines()).entrySet()) {
                cols[0][i] = b.getKey();
                cols[1][i] = b.getValue().count();
                cols[2][i] = b.getValue().sumMs();
                cols[3][i] = b.getValue().sumSquaresMs();
                cols[4][i] = b.getValue().minMs();
                cols[5][i] = b.getValue().maxMs();
                i++;
            }
            parts.add("INSERT INTO duration_baselines (baseline_key, sample_count, sum_ms, sum_sq_ms, min_ms, max_ms) "
                    + "SELECT * FROM unnest(?::text[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], "
                    + "?::float8[]) ON CONFLICT (baseline_key) DO UPDATE SET "
                    + "sample_count = duration_baselines.sample_count + EXCLUDED.sample_count, "
                    + "sum_ms = duration_baselines.sum_ms + EXCLUDED.sum_ms, "
                    + "sum_sq_ms = duration_baselines.sum_sq_ms + EXCLUDED.sum_sq_ms, "
                    + "min_ms = LEAST(duration_baselines.min_ms, EXCLUDED.min_ms), "
                    + "max_ms = GREATEST(duration_baselines.max_ms, EXCLUDED.max_ms)");
            columns.addAll(List.of(new Column("text", cols[0]), new Column("int8", cols[1]),
                    new Column("float8", cols[2]), new Column("float8", cols[3]), new Column("float8", cols[4]),
                    new Column("float8", cols[5])));
        }
        List<ReadModelDelta.SpanDelta> spans = new ArrayList<>(delta.spans());
        spans.sort(Comparator.comparing(ReadModelDelta.SpanDelta::spanId));
        if (!spans.isEmpty()) {
            int n = spans.size();
            Object[][] cols = new Object[6][n];
            for (int i = 0; i < n; i++) {
                ReadModelDelta.SpanDelta s = spans.get(i);
                cols[0][i] = s.spanId();
                cols[1][i] = s.traceId();
                cols[2][i] = s.service();
                cols[3][i] = s.instance();
                cols[4][i] = Rows.nanos(s.first());
                cols[5][i] = Rows.nanos(s.last());
            }
            parts.add("INSERT INTO distributed_spans (span_id, trace_id, service, instance, first_ts_ns, last_ts_ns) "
                    + "SELECT * FROM unnest(?::text[], ?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[]) "
                    + "ON CONFLICT (span_id) DO UPDATE SET "
                    + "first_ts_ns = LEAST(distributed_spans.first_ts_ns, EXCLUDED.first_ts_ns), "
                    + "last_ts_ns = GREATEST(distributed_spans.last_ts_ns, EXCLUDED.last_ts_ns)");
            columns.addAll(List.of(new Column("text", cols[0]), new Column("uuid", cols[1]),
                    new Column("text", cols[2]), new Column("text", cols[3]), new Column("int8", cols[4]),
                    new Column("int8", cols[5])));
        }
        List<ReadModelDelta.EdgeDelta> edges = new ArrayList<>(delta.edges());
        edges.sort(Comparator.comparing(ReadModelDelta.EdgeDelta::from).thenComparing(ReadModelDelta.EdgeDelta::to));
        if (!edges.isEmpty()) {
            int n = edges.size();
            Object[][] cols = new Object[5][n];
            for (int i = 0; i < n; i++) {
                ReadModelDelta.EdgeDelta e = edges.get(i);
                cols[0][i] = e.from();
                cols[1][i] = e.to();
                cols[2][i] = e.linkType().name();
                cols[3][i] = e.eventId();
                cols[4][i] = Rows.nanos(e.timestamp());
            }
            parts.add("INSERT INTO distributed_edges (from_span, to_span, link_type, event_id, ts_ns) "
                    + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::uuid[], ?::bigint[]) "
                    + "ON CONFLICT (from_span, to_span) DO NOTHING");
            columns.addAll(List.of(new Column("text", cols[0]), new Column("text", cols[1]),
                    new Column("text", cols[2]), new Column("uuid", cols[3]), new Column("int8", cols[4])));
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < parts.size() - 1; i++) {
            sql.append(i == 0 ? "WITH " : ", ").append("m").append(i).append(" AS (").append(parts.get(i)).append(")");
        }
        sql.append(parts.size() > 1 ? " " : "").append(parts.get(parts.size() - 1));
        return Optional.of(new ReadModelUpdate(sql.toString(), columns));
    }

    void execute(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                Column col = columns.get(i);
                ps.setArray(i + 1, c.createArrayOf(col.type(), col.values()));
            }
            ps.executeUpdate();
        }
    }
}
