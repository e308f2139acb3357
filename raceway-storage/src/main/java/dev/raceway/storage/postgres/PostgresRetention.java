package dev.raceway.storage.postgres;

import dev.raceway.storage.RetentionResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Deletes whole traces — their events, spans, edges into their spans and rows per (trace, service) — in one
 * transaction each time; baselines are aggregates and stay. Also the reset that deletes everything.
 */
final class PostgresRetention {
    private final Database db;

    PostgresRetention(Database db) {
        this.db = db;
    }

    RetentionResult deleteTracesOlderThan(Instant cutoff) {
        return deleteTraces("SELECT trace_id, event_count FROM traces WHERE last_ts_ns < ?", Rows.nanos(cutoff));
    }

    RetentionResult deleteOldestTracesBeyond(long maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be >= 0, got " + maxEvents);
        }
        // Oldest first, delete a trace while what would remain after the traces before it is still above the cap.
        return deleteTraces("SELECT trace_id, event_count FROM (SELECT trace_id, event_count, "
                + "sum(event_count) OVER (ORDER BY last_ts_ns, trace_id DESC) - event_count AS before, "
                + "sum(event_count) OVER () AS total FROM traces) t WHERE total - before > ?", maxEvents);
    }

    private RetentionResult deleteTraces(String selectSql, long param) {
        try {
            return db.jdbi.<RetentionResult, SQLException>inTransaction(h -> {
                Connection c = h.getConnection();
                List<UUID> ids = new ArrayList<>();
                long events = 0;
                try (PreparedStatement ps = c.prepareStatement(selectSql)) {
                    ps.setLong(1, param);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(Rows.uuid(rs.getObject(1)));
                            events += rs.getLong(2);
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return RetentionResult.NONE;
                }
                Array arr = c.createArrayOf("uuid", ids.toArray());
                Database.execute(c, "DELETE FROM distributed_edges WHERE to_span IN "
                        + "(SELECT span_id FROM distributed_spans WHERE trace_id = ANY(?))", arr);
                Database.execute(c, "DELETE FROM distributed_spans WHERE trace_id = ANY(?)", arr);
                Database.execute(c, "DELETE FROM trace_services WHERE trace_id = ANY(?)", arr);
                Database.execute(c, "DELETE FROM events WHERE trace_id = ANY(?)", arr);
                Database.execute(c, "DELETE FROM traces WHERE trace_id = ANY(?)", arr);
                return new RetentionResult(ids.size(), events);
            });
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.wrap("deleting old traces", e);
        }
    }

    void clear() {
        try {
            db.jdbi.useHandle(h -> h.execute("TRUNCATE events, traces, trace_services, "
                    + "distributed_spans, distributed_edges, duration_baselines"));
        } catch (RuntimeException e) {
            throw SqlFailures.wrap("clearing the store", e);
        }
    }
}
