package dev.raceway.storage.postgres;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.EventWriter;
import dev.raceway.storage.WriteResult;
import dev.raceway.storage.internal.EventOrder;
import dev.raceway.storage.internal.ReadModelDelta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes batches: one transaction each. The fast path streams the events with a binary {@code COPY} while it is
 * still encoding them (see {@link EventCopy}); if any id already exists the transaction is redone with
 * {@code INSERT … ON CONFLICT DO NOTHING RETURNING id}, which tells exactly which events are new. The read models
 * are then updated in the same transaction from the new events' {@link ReadModelDelta}, in one statement
 * ({@link ReadModelUpdate}). The per-variable access index is a partial index on columns of the events themselves,
 * written by the same {@code COPY}.
 */
final class PostgresEventWriter implements EventWriter {
    private final Database db;

    PostgresEventWriter(Database db) {
        this.db = db;
    }

    @Override
    public WriteResult write(List<Event> events) {
        Objects.requireNonNull(events, "events");
        Map<UUID, Event> unique = new LinkedHashMap<>();
        Set<UUID> conflicting = new HashSet<>(0);
        for (Event e : events) {
            Objects.requireNonNull(e, "event");
            Event first = unique.putIfAbsent(e.id(), e);
            if (first != null && !first.equals(e)) {
                conflicting.add(e.id());
            }
        }
        if (unique.isEmpty()) {
            return new WriteResult(events.size(), 0);
        }
        List<Event> batch = new ArrayList<>(unique.values());
        try {
            int inserted = db.jdbi.<Integer, SQLException>inTransaction(h -> {
                Optional<ReadModelUpdate> update = copyEvents(h.getConnection(), batch);
                if (update.isPresent()) {
                    update.get().execute(h.getConnection());
                }
                return batch.size();
            });
            return new WriteResult(events.size(), inserted, conflicting);
        } catch (EventCopy.EncodingFailure e) {
            throw e.failure(); // the batch's own problem: not a database failure, never transient
        } catch (SQLException | RuntimeException e) {
            if (!SqlFailures.UNIQUE_VIOLATION.equals(SqlFailures.sqlState(e))) {
                throw SqlFailures.wrap("storing " + batch.size() + " events", e);
            }
        }
        // Some ids exist already (a retried request): insert what is new and learn which ones those are.
        List<String> bodies = new ArrayList<>(batch.size());
        for (Event e : batch) {
            bodies.add(Rows.body(e));
        }
        try {
            int inserted = db.jdbi.<Integer, SQLException>inTransaction(h -> {
                List<Event> fresh = insertNew(h.getConnection(), batch, bodies);
                Optional<ReadModelUpdate> update = ReadModelUpdate.of(ReadModelDelta.of(fresh, Rows::text));
                if (update.isPresent()) {
                    update.get().execute(h.getConnection());
                }
                conflicting.addAll(differingFromStored(h.getConnection(), batch, fresh));
                return fresh.size();
            });
            return new WriteResult(events.size(), inserted, conflicting);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.wrap("storing " + batch.size() + " events", e);
        }
    }

    /**
     * Streams the batch into {@code events} with a binary {@code COPY}, sorted by id so that concurrent writers of
     * overlapping ids wait on each other in the same order. The read-model statement is built while the server
     * is still inserting the rows already sent. A connection-level failure evicts the connection
     * ({@link Database#evictIfBroken}).
     */
    private Optional<ReadModelUpdate> copyEvents(Connection c, List<Event> batch) throws SQLException {
        Integer[] order = sortedById(batch);
        CopyIn in = null;
        try {
            in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(EventCopy.SQL);
            EventCopy copy = new EventCopy(in);
            for (int i : order) {
                copy.add(batch.get(i));
            }
            copy.finish();
            Optional<ReadModelUpdate> update = ReadModelUpdate.of(ReadModelDelta.of(batch, Rows::text));
            in.endCopy();
            return update;
        } catch (SQLException e) {
            db.evictIfBroken(c, e);
            throw e;
        } finally {
            if (in != null && in.isActive()) {
                cancel(c, in);
            }
        }
    }

    /** Abandons a COPY that failed on our side (the transaction is rolled back anyway). */
    private void cancel(Connection c, CopyIn in) {
        try {
            in.cancelCopy();
        } catch (SQLException e) {
            db.evictIfBroken(c, e);
        }
    }

    private static Integer[] sortedById(List<Event> batch) {
        Integer[] order = new Integer[batch.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> batch.get(i).id(), EventOrder.UUID_ORDER));
        return order;
    }

    private static List<Event> insertNew(Connection c, List<Event> batch, List<String> bodies) throws SQLException {
        Integer[] order = sortedById(batch);
        int n = batch.size();
        Object[] ids = new Object[n];
        Object[] traces = new Object[n];
        Object[] ts = new Object[n];
        Object[] clocks = new Object[n];
        Object[] body = new Object[n];
        Object[][] sc = new Object[4][n];
        for (int k = 0; k < n; k++) {
            Event e = batch.get(order[k]);
            ids[k] = e.id();
            traces[k] = e.traceId();
            ts[k] = Rows.nanos(e.timestamp());
            clocks[k] = e.causalityVector().size();
            body[k] = bodies.get(order[k]);
            if (e.kind() instanceof EventKind.StateChange change) {
                sc[0][k] = Rows.text(change.variable());
                sc[1][k] = Rows.text(e.metadata().threadId());
                sc[2][k] = Rows.text(e.metadata().serviceName());
                sc[3][k] = change.accessType().wireName();
            }
        }
        Set<UUID> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, trace_id, ts_ns, clock_size, variable, "
                + "sc_thread, sc_service, sc_access, body) SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], "
                + "?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                + "ON CONFLICT (id) DO NOTHING RETURNING id")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, c.createArrayOf("uuid", traces));
            ps.setArray(3, c.createArrayOf("int8", ts));
            ps.setArray(4, c.createArrayOf("int4", clocks));
            for (int k = 0; k < 4; k++) {
                ps.setArray(5 + k, c.createArrayOf("text", sc[k]));
            }
            ps.setArray(9, c.createArrayOf("text", body));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(Rows.uuid(rs.getObject(1)));
                }
            }
        }
        List<Event> out = new ArrayList<>(fresh.size());
        for (Event e : batch) { // arrival order: the first event of a span pair names the edge
            if (fresh.contains(e.id())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The ids of the batch's events that were not inserted and differ from the event stored under their id. */
    private static Set<UUID> differingFromStored(Connection c, List<Event> batch, List<Event> fresh)
            throws SQLException {
        Set<UUID> freshIds = new HashSet<>();
        for (Event e : fresh) {
            freshIds.add(e.id());
        }
        Map<UUID, Event> old = new HashMap<>();
        for (Event e : batch) {
            if (!freshIds.contains(e.id())) {
                old.put(e.id(), e);
            }
        }
        Set<UUID> differing = new HashSet<>(0);
        if (old.isEmpty()) {
            return differing;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, body FROM events WHERE id = ANY(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("uuid", old.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = Rows.uuid(rs.getObject(1));
                    if (!Rows.event(rs.getString(2)).equals(old.get(id))) {
                        differing.add(id);
                    }
                }
            }
        }
        return differing;
    }
}
