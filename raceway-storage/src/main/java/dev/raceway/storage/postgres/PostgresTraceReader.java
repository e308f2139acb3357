package dev.raceway.storage.postgres;

import dev.raceway.core.event.Event;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceReader;
import dev.raceway.storage.TraceSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Events, traces and their summaries. Summaries come from the {@code traces} and {@code trace_services} rows kept at
 * write time; reads that visit many traces stream them with a cursor, one trace at a time.
 */
final class PostgresTraceReader implements TraceReader {
    private final Database db;

    PostgresTraceReader(Database db) {
        this.db = db;
    }

    private static final int FETCH_SIZE = 1000;

    @Override
    public Optional<Event> event(UUID eventId) {
        return db.read("reading event " + eventId, h -> h.createQuery("SELECT body FROM events WHERE id = :id")
                .bind("id", eventId).mapTo(String.class).findOne().map(Rows::event));
    }

    @Override
    public List<Event> traceEvents(UUID traceId) {
        return db.read("reading trace " + traceId, h -> h.createQuery(
                        "SELECT body FROM events WHERE trace_id = :t ORDER BY ts_ns, clock_size, id")
                .bind("t", traceId).mapTo(String.class).map(Rows::event).list());
    }

    /** The columns of a summary, in the order {@link #summaryOf} reads them. */
    private static final String SUMMARY_COLUMNS =
            "t.trace_id, t.event_count, t.first_ts_ns, t.last_ts_ns, t.start_ts_ns, t.operation";

    /** The conditions of {@link TraceQuery#matches}, in SQL: a {@code WHERE} clause and its parameters. */
    record Filter(String where, Map<String, Object> params) {
    }

    /** The filter of {@code query}; empty when no trace can match (an id prefix no uuid has). */
    static Optional<Filter> filter(TraceQuery query) {
        Map<String, Object> params = new HashMap<>();
        StringBuilder filter = new StringBuilder(" WHERE t.event_count >= :min");
        params.put("min", query.minEvents());
        query.service().ifPresent(sv -> {
            filter.append(" AND EXISTS (SELECT 1 FROM trace_services f WHERE f.trace_id = t.trace_id"
                    + " AND f.service_name = :service)");
            params.put("service", Rows.text(sv));
        });
        query.operation().ifPresent(op -> {
            // ILIKE, not strpos(lower(…)): the trigram index (V3) serves ILIKE, nothing serves strpos
            filter.append(" AND t.operation ILIKE :operation");
            params.put("operation", "%" + likeEscaped(Rows.text(op)) + "%");
        });
        query.minDurationMs().ifPresent(ms -> {
            filter.append(" AND t.duration_ns >= :minDurationNs");
            params.put("minDurationNs", Math.multiplyExact(ms, 1_000_000L));
        });
        query.maxDurationMs().ifPresent(ms -> {
            filter.append(" AND t.duration_ns <= :maxDurationNs");
            params.put("maxDurationNs", Math.multiplyExact(ms, 1_000_000L));
        });
        query.since().ifPresent(t -> {
            filter.append(" AND t.start_ts_ns >= :since");
            params.put("since", Rows.nanos(t));
        });
        query.until().ifPresent(t -> {
            filter.append(" AND t.start_ts_ns <= :until");
            params.put("until", Rows.nanos(t));
        });
        if (query.idPrefix().isPresent()) {
            Optional<UUID[]> range = IdPrefix.range(query.idPrefix().get());
            if (range.isEmpty()) {
                return Optional.empty();
            }
            filter.append(" AND t.trace_id BETWEEN :idLow AND :idHigh");
            params.put("idLow", range.get()[0]);
            params.put("idHigh", range.get()[1]);
        }
        return Optional.of(new Filter(filter.toString(), params));
    }

    /** {@code text} matched literally by {@code LIKE}/{@code ILIKE} (whose default escape character is {@code \}). */
    static String likeEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public TracePage traceSummaries(TraceQuery query) {
        Optional<Filter> where = filter(query);
        if (where.isEmpty()) {
            return new TracePage(List.of(), 0, query.page(), query.pageSize());
        }
        String filter = where.get().where();
        Map<String, Object> params = where.get().params();
        return db.read("listing traces", h -> {
            long total = h.createQuery("SELECT count(*) FROM traces t" + filter).bindMap(params)
                    .mapTo(Long.class).one();
            List<Object[]> rows = h.createQuery("SELECT " + SUMMARY_COLUMNS + " FROM traces t" + filter
                            + " ORDER BY t.last_ts_ns DESC, t.trace_id LIMIT :limit OFFSET :offset")
                    .bindMap(params).bind("limit", query.pageSize()).bind("offset", query.offset())
                    .map((rs, ctx) -> summaryRow(rs)).list();
            Map<UUID, List<String>> services = servicesOf(h, rows.stream().map(r -> (UUID) r[0]).toList());
            List<TraceSummary> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                out.add(summaryOf(r, services.getOrDefault((UUID) r[0], List.of())));
            }
            return new TracePage(out, total, query.page(), query.pageSize());
        });
    }

    private static Object[] summaryRow(ResultSet rs) throws SQLException {
        return new Object[] {Rows.uuid(rs.getObject(1)), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6)};
    }

    private static TraceSummary summaryOf(Object[] r, List<String> services) {
        return new TraceSummary((UUID) r[0], (Long) r[1], Rows.instant((Long) r[2]), Rows.instant((Long) r[3]),
                services, Rows.instant((Long) r[4]), Optional.ofNullable((String) r[5]));
    }

    private static Map<UUID, List<String>> servicesOf(Handle h, List<UUID> traceIds) throws SQLException {
        Map<UUID, List<String>> out = new HashMap<>();
        if (traceIds.isEmpty()) {
            return out;
        }
        Connection c = h.getConnection();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT trace_id, service_name FROM trace_services WHERE trace_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", traceIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(Rows.uuid(rs.getObject(1)), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        out.values().forEach(l -> l.sort(Comparator.naturalOrder()));
        return out;
    }

    @Override
    public Optional<TraceSummary> traceSummary(UUID traceId) {
        return db.read("reading trace summary " + traceId, h -> {
            Optional<Object[]> row = h.createQuery("SELECT " + SUMMARY_COLUMNS + " FROM traces t WHERE t.trace_id = :t")
                    .bind("t", traceId).map((rs, ctx) -> summaryRow(rs)).findOne();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(summaryOf(row.get(), servicesOf(h, List.of(traceId)).getOrDefault(traceId, List.of())));
        });
    }

    @Override
    public void forEachTraceWithStateChanges(Consumer<List<Event>> action) {
        streamTraces("SELECT e.trace_id, e.body FROM traces t JOIN events e ON e.trace_id = t.trace_id "
                + "WHERE t.has_state_changes ORDER BY e.trace_id, e.ts_ns, e.clock_size, e.id", null, action);
    }

    @Override
    public void forEachTrace(Collection<UUID> traceIds, Consumer<List<Event>> action) {
        if (traceIds.isEmpty()) {
            return;
        }
        streamTraces("SELECT trace_id, body FROM events WHERE trace_id = ANY(?) "
                + "ORDER BY trace_id, ts_ns, clock_size, id", traceIds.toArray(), action);
    }

    /** Streams rows ordered by trace with a cursor, handing over one complete trace at a time. */
    private void streamTraces(String sql, Object[] traceIds, Consumer<List<Event>> action) {
        try {
            db.jdbi.<SQLException>useTransaction(h -> {
                Connection c = h.getConnection();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (traceIds != null) {
                        ps.setArray(1, c.createArrayOf("uuid", traceIds));
                    }
                    ps.setFetchSize(FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        UUID current = null;
                        List<Event> trace = new ArrayList<>();
                        while (rs.next()) {
                            UUID id = Rows.uuid(rs.getObject(1));
                            if (!id.equals(current) && !trace.isEmpty()) {
                                deliver(action, trace);
                                trace = new ArrayList<>();
                            }
                            current = id;
                            trace.add(Rows.event(rs.getString(2)));
                        }
                        if (!trace.isEmpty()) {
                            deliver(action, trace);
                        }
                    }
                }
            });
        } catch (CallerFailure e) {
            throw e.failure; // the caller's own exception, unwrapped and untouched
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.wrap("streaming traces", e);
        }
    }

    private static void deliver(Consumer<List<Event>> action, List<Event> trace) {
        try {
            action.accept(trace);
        } catch (RuntimeException e) {
            throw new CallerFailure(e);
        }
    }

    /** Carries an exception thrown by a caller's callback out of the transaction without wrapping it. */
    private static final class CallerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuntimeException failure;

        CallerFailure(RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    @Override
    public StoreCounts counts() {
        return db.read("counting", h -> h.createQuery("SELECT coalesce(sum(event_count), 0), count(*) FROM traces")
                .map((rs, ctx) -> new StoreCounts(rs.getLong(1), rs.getLong(2))).one());
    }
}
