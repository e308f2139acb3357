package dev.raceway.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.RetentionResult;
import dev.raceway.storage.SchemaMissingException;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.ServiceSummary;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.StoreHealth;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.VariableAccess;
import dev.raceway.storage.VariableSummary;
import dev.raceway.storage.WriteResult;
import dev.raceway.storage.internal.EventOrder;
import dev.raceway.storage.internal.ReadModelDelta;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The PostgreSQL backend (also {@code supabase}): Jdbi over a HikariCP pool, schema by Flyway in its own
 * PostgreSQL schema {@code raceway}.
 *
 * <p>A write is one transaction. The fast path streams the events with a binary {@code COPY} while it is still
 * encoding them (see {@link EventCopy}); if any id already exists the transaction is redone with
 * {@code INSERT … ON CONFLICT DO NOTHING RETURNING id}, which tells exactly which events are new. The read models (traces, services per trace, spans, edges, baselines) are then updated in the same
 * transaction from the new events only, in one statement. The per-variable access index is a partial index on
 * columns of the events themselves, written by the same {@code COPY}.
 */
public final class PostgresEventStore implements EventStore {
    static final String SCHEMA = "raceway";
    private static final String MIGRATIONS = "classpath:db/raceway/migration";
    private static final int FETCH_SIZE = 1000;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String description;

    private PostgresEventStore(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.description = description;
    }

    /**
     * Connects and checks (or, with {@code autoMigrate}, creates/updates) the schema.
     *
     * @throws IllegalArgumentException when the connection string is malformed
     * @throws SchemaMissingException   when the schema is missing or outdated and {@code autoMigrate} is off
     * @throws StorageException         when the database cannot be reached
     */
    public static PostgresEventStore open(PostgresStoreConfig config) {
        JdbcTarget target = JdbcTarget.from(config);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("raceway-postgres");
        hc.setJdbcUrl(target.jdbcUrl());
        target.user().ifPresent(hc::setUsername);
        target.password().ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(config.maxConnections());
        hc.setMinimumIdle(config.minConnections());
        hc.setConnectionTimeout(config.connectionTimeoutSeconds() * 1000L);
        hc.setSchema(SCHEMA);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw SqlFailures.wrap("connecting to PostgreSQL at " + target.jdbcUrl(), e);
        }
        try {
            // Flyway opens its own connections (it needs two at once): migrations must work with max_connections = 1
            // and must not hold the pool.
            Flyway flyway = Flyway.configure()
                    .dataSource(target.jdbcUrl(), target.user().orElse(null), target.password().orElse(null))
                    .schemas(SCHEMA).createSchemas(true)
                    .table("raceway_schema_history").locations(MIGRATIONS).load();
            if (config.autoMigrate()) {
                flyway.migrate();
            } else {
                MigrationInfoService info = flyway.info();
                if (info.current() == null || info.pending().length > 0) {
                    throw new SchemaMissingException("the Raceway schema in PostgreSQL (" + target.jdbcUrl()
                            + ", schema '" + SCHEMA + "') is " + (info.current() == null ? "missing" : "outdated ("
                            + info.pending().length + " migration(s) pending)")
                            + " and [storage.postgres] auto_migrate = false; set auto_migrate = true once to create it");
                }
            }
            return new PostgresEventStore(ds, target.jdbcUrl());
        } catch (RuntimeException e) {
            ds.close();
            throw e instanceof StorageException s ? s : SqlFailures.wrap("preparing the PostgreSQL schema", e);
        }
    }

    @Override
    public String backendName() {
        return "postgres";
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ------------------------------------------------------------------ writes

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
            int inserted = jdbi.<Integer, SQLException>inTransaction(h -> {
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
            int inserted = jdbi.<Integer, SQLException>inTransaction(h -> {
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
     * is still inserting the rows already sent.
     *
     * <p>COPY runs on the driver's own connection, behind the pool's back: a connection that breaks during COPY is
     * not noticed by HikariCP, which would keep lending it out (a recently used connection is not re-validated) and
     * every retry after an outage would fail on it. So a connection-level failure here evicts it explicitly.
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
            if (SqlFailures.isConnectionFailure(e)) {
                dataSource.evictConnection(c);
            }
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
            if (SqlFailures.isConnectionFailure(e)) {
                dataSource.evictConnection(c);
            }
        }
    }

    private static Integer[] sortedById(List<Event> batch) {
        Integer[] order = new Integer[batch.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparing(i -> batch.get(i).id(), EventOrder.UUID_ORDER));
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
        java.util.Set<UUID> fresh = new java.util.HashSet<>();
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

    private static void execute(Connection c, String sql, Array... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setArray(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ trace reads

    private <T> T read(String what, org.jdbi.v3.core.HandleCallback<T, Exception> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw SqlFailures.wrap(what, e);
        }
    }

    @Override
    public Optional<Event> event(UUID eventId) {
        return read("reading event " + eventId, h -> h.createQuery("SELECT body FROM events WHERE id = :id")
                .bind("id", eventId).mapTo(String.class).findOne().map(Rows::event));
    }

    @Override
    public List<Event> traceEvents(UUID traceId) {
        return read("reading trace " + traceId, h -> h.createQuery(
                        "SELECT body FROM events WHERE trace_id = :t ORDER BY ts_ns, clock_size, id")
                .bind("t", traceId).mapTo(String.class).map(Rows::event).list());
    }

    /** The columns of a summary, in the order {@link #summaryOf} reads them. */
    private static final String SUMMARY_COLUMNS =
            "t.trace_id, t.event_count, t.first_ts_ns, t.last_ts_ns, t.start_ts_ns, t.operation";

    @Override
    public TracePage traceSummaries(TraceQuery query) {
        // The conditions of TraceQuery.matches, in SQL.
        Map<String, Object> params = new HashMap<>();
        StringBuilder filter = new StringBuilder(" WHERE t.event_count >= :min");
        params.put("min", query.minEvents());
        query.service().ifPresent(sv -> {
            filter.append(" AND EXISTS (SELECT 1 FROM trace_services f WHERE f.trace_id = t.trace_id"
                    + " AND f.service_name = :service)");
            params.put("service", Rows.text(sv));
        });
        query.operation().ifPresent(op -> {
            filter.append(" AND strpos(lower(t.operation), lower(:operation)) > 0");
            params.put("operation", Rows.text(op));
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
                return new TracePage(List.of(), 0, query.page(), query.pageSize());
            }
            filter.append(" AND t.trace_id BETWEEN :idLow AND :idHigh");
            params.put("idLow", range.get()[0]);
            params.put("idHigh", range.get()[1]);
        }
        return read("listing traces", h -> {
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
        return read("reading trace summary " + traceId, h -> {
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
            jdbi.<SQLException>useTransaction(h -> {
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
        return read("counting", h -> h.createQuery("SELECT coalesce(sum(event_count), 0), count(*) FROM traces")
                .map((rs, ctx) -> new StoreCounts(rs.getLong(1), rs.getLong(2))).one());
    }

    // ------------------------------------------------------------------ variables

    @Override
    public List<VariableAccess> variableAccesses(String variable) {
        // Values come from the stored event itself, so they are exactly as received.
        return read("reading accesses to " + variable, h -> h.createQuery(
                        "SELECT body FROM events WHERE variable = :v ORDER BY ts_ns, id")
                .bind("v", Rows.text(variable)).mapTo(String.class).map(Rows::event)
                .filter(e -> e.kind() instanceof EventKind.StateChange)
                .map(PostgresEventStore::access).list());
    }

    private static VariableAccess access(Event e) {
        EventKind.StateChange sc = (EventKind.StateChange) e.kind();
        return new VariableAccess(sc.variable(), e.id(), e.traceId(), e.metadata().threadId(),
                e.metadata().serviceName(), sc.accessType(), e.timestamp(), sc.location(), sc.newValue());
    }

    @Override
    public List<VariableSummary> variableSummaries() {
        List<VariableSummary> out = read("summarising variables", h -> h.createQuery(
                        "SELECT variable, count(*), count(DISTINCT sc_thread), array_agg(DISTINCT sc_access), "
                                + "array_agg(DISTINCT trace_id), array_agg(DISTINCT sc_service) "
                                + "FROM events WHERE variable IS NOT NULL GROUP BY variable")
                .map((rs, ctx) -> {
                    List<AccessType> types = new ArrayList<>();
                    for (Object o : (Object[]) rs.getArray(4).getArray()) {
                        types.add(AccessType.fromWireName(o.toString()).orElseThrow());
                    }
                    types.sort(Comparator.naturalOrder());
                    List<UUID> traces = new ArrayList<>();
                    for (Object o : (Object[]) rs.getArray(5).getArray()) {
                        traces.add(Rows.uuid(o));
                    }
                    traces.sort(EventOrder.UUID_ORDER);
                    List<String> services = new ArrayList<>();
                    for (Object o : (Object[]) rs.getArray(6).getArray()) {
                        services.add(o.toString());
                    }
                    services.sort(Comparator.naturalOrder());
                    return new VariableSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), types, traces,
                            services);
                }).list());
        List<VariableSummary> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(VariableSummary::variable));
        return sorted;
    }

    // ------------------------------------------------------------------ distributed

    private static DistributedSpan span(ResultSet rs) throws SQLException {
        return new DistributedSpan(Rows.uuid(rs.getObject("trace_id")), rs.getString("span_id"),
                rs.getString("service"), rs.getString("instance"), Rows.instant(rs.getLong("first_ts_ns")),
                Optional.of(Rows.instant(rs.getLong("last_ts_ns"))));
    }

    private static DistributedEdge edge(ResultSet rs) throws SQLException {
        return new DistributedEdge(rs.getString("from_span"), rs.getString("to_span"),
                EdgeLinkType.fromWireName(rs.getString("link_type")).orElse(EdgeLinkType.Custom),
                Rows.uuid(rs.getObject("event_id")), Rows.instant(rs.getLong("ts_ns")));
    }

    private static final Comparator<DistributedEdge> EDGE_ORDER = Comparator.comparing(DistributedEdge::timestamp)
            .thenComparing(DistributedEdge::fromSpan).thenComparing(DistributedEdge::toSpan);

    @Override
    public Optional<DistributedSpan> span(String spanId) {
        return read("reading span", h -> h.createQuery("SELECT * FROM distributed_spans WHERE span_id = :s")
                .bind("s", Rows.text(spanId)).map((rs, ctx) -> span(rs)).findOne());
    }

    @Override
    public List<DistributedSpan> spans(UUID traceId) {
        List<DistributedSpan> out = new ArrayList<>(read("reading spans", h -> h.createQuery(
                        "SELECT * FROM distributed_spans WHERE trace_id = :t")
                .bind("t", traceId).map((rs, ctx) -> span(rs)).list()));
        out.sort(Comparator.comparing(DistributedSpan::firstEvent).thenComparing(DistributedSpan::spanId));
        return out;
    }

    @Override
    public List<DistributedEdge> edges(UUID traceId) {
        List<DistributedEdge> out = new ArrayList<>(read("reading edges", h -> h.createQuery(
                        "SELECT * FROM distributed_edges WHERE to_span IN (SELECT span_id FROM distributed_spans "
                                + "WHERE trace_id = :t) OR from_span IN (SELECT span_id FROM distributed_spans "
                                + "WHERE trace_id = :t)")
                .bind("t", traceId).map((rs, ctx) -> edge(rs)).list()));
        out.sort(EDGE_ORDER);
        return out;
    }

    @Override
    public List<DistributedEdge> allEdges() {
        List<DistributedEdge> out = new ArrayList<>(read("reading edges", h -> h.createQuery(
                "SELECT * FROM distributed_edges").map((rs, ctx) -> edge(rs)).list()));
        out.sort(EDGE_ORDER);
        return out;
    }

    @Override
    public List<ServiceCall> serviceCalls() {
        List<ServiceCall> out = new ArrayList<>(read("reading service calls", h -> h.createQuery(
                        "SELECT f.service, t.service, e.link_type, count(*), count(DISTINCT t.trace_id) "
                                + "FROM distributed_edges e JOIN distributed_spans f ON f.span_id = e.from_span "
                                + "JOIN distributed_spans t ON t.span_id = e.to_span GROUP BY 1, 2, 3")
                .map((rs, ctx) -> new ServiceCall(rs.getString(1), rs.getString(2),
                        EdgeLinkType.fromWireName(rs.getString(3)).orElse(EdgeLinkType.Custom), rs.getLong(4),
                        rs.getLong(5))).list()));
        out.sort(Comparator.comparingLong(ServiceCall::callCount).reversed()
                .thenComparing(ServiceCall::fromService).thenComparing(ServiceCall::toService)
                .thenComparing(ServiceCall::linkType));
        return out;
    }

    // ------------------------------------------------------------------ services, baselines

    @Override
    public List<ServiceSummary> services() {
        List<ServiceSummary> out = new ArrayList<>(read("reading services", h -> h.createQuery(
                        "SELECT service_name, sum(event_count), count(*), max(last_ts_ns) FROM trace_services "
                                + "GROUP BY service_name")
                .map((rs, ctx) -> new ServiceSummary(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        Rows.instant(rs.getLong(4)))).list()));
        out.sort(Comparator.comparing(ServiceSummary::name));
        return out;
    }

    private static DurationStats stats(ResultSet rs) throws SQLException {
        return new DurationStats(rs.getLong("sample_count"), rs.getDouble("sum_ms"), rs.getDouble("sum_sq_ms"),
                rs.getDouble("min_ms"), rs.getDouble("max_ms"));
    }

    @Override
    public Map<String, DurationStats> baselines() {
        return read("reading baselines", h -> {
            Map<String, DurationStats> out = new HashMap<>();
            h.createQuery("SELECT * FROM duration_baselines").map((rs, ctx) -> Map.entry(rs.getString("baseline_key"),
                    stats(rs))).forEach(e -> out.put(e.getKey(), e.getValue()));
            return Map.copyOf(out);
        });
    }

    @Override
    public Optional<DurationStats> baseline(String key) {
        return read("reading baseline", h -> h.createQuery("SELECT * FROM duration_baselines WHERE baseline_key = :k")
                .bind("k", Rows.text(key)).map((rs, ctx) -> stats(rs)).findOne());
    }

    // ------------------------------------------------------------------ maintenance

    @Override
    public RetentionResult deleteTracesOlderThan(Instant cutoff) {
        return deleteTraces("SELECT trace_id, event_count FROM traces WHERE last_ts_ns < ?", Rows.nanos(cutoff));
    }

    @Override
    public RetentionResult deleteOldestTracesBeyond(long maxEvents) {
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
            return jdbi.<RetentionResult, SQLException>inTransaction(h -> {
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
                execute(c, "DELETE FROM distributed_edges WHERE to_span IN "
                        + "(SELECT span_id FROM distributed_spans WHERE trace_id = ANY(?))", arr);
                execute(c, "DELETE FROM distributed_spans WHERE trace_id = ANY(?)", arr);
                execute(c, "DELETE FROM trace_services WHERE trace_id = ANY(?)", arr);
                execute(c, "DELETE FROM events WHERE trace_id = ANY(?)", arr);
                execute(c, "DELETE FROM traces WHERE trace_id = ANY(?)", arr);
                return new RetentionResult(ids.size(), events);
            });
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.wrap("deleting old traces", e);
        }
    }

    @Override
    public StoreHealth health() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("SELECT 1 FROM traces LIMIT 1");
            return new StoreHealth(true, "postgres", "connected to " + description);
        } catch (SQLException | RuntimeException e) {
            return new StoreHealth(false, "postgres", "PostgreSQL unavailable (" + description + "): "
                    + e.getMessage());
        }
    }

    @Override
    public void clear() {
        try {
            jdbi.useHandle(h -> h.execute("TRUNCATE events, traces, trace_services, "
                    + "distributed_spans, distributed_edges, duration_baselines"));
        } catch (RuntimeException e) {
            throw SqlFailures.wrap("clearing the store", e);
        }
    }

    /** The pool, for tests and benchmarks that need raw connections (e.g. a COPY ceiling). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }
}
