package dev.raceway.storage.postgres;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.Event;
import dev.raceway.storage.AccessFootprint;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.RetentionResult;
import dev.raceway.storage.SchemaMissingException;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.ServiceSummary;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.StoreHealth;
import dev.raceway.storage.TraceLink;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.VariableAccess;
import dev.raceway.storage.VariableSummary;
import dev.raceway.storage.WriteResult;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The PostgreSQL backend (also {@code supabase}): Jdbi over a HikariCP pool, schema by Flyway in its own
 * PostgreSQL schema {@code raceway}. This class only puts the parts together, each with one job:
 * {@link Bootstrap} (pool and migrations), {@link PostgresEventWriter} (batches and their read models), the readers
 * ({@link PostgresTraceReader}, {@link PostgresVariableReader}, {@link PostgresDistributedReader},
 * {@link PostgresServiceReader}, {@link PostgresBaselineReader}) and {@link PostgresRetention}.
 */
public final class PostgresEventStore implements EventStore {
    private final Database db;
    private final PostgresEventWriter writer;
    private final PostgresTraceReader traces;
    private final PostgresVariableReader variables;
    private final PostgresDistributedReader distributed;
    private final PostgresServiceReader services;
    private final PostgresBaselineReader baselines;
    private final PostgresRetention retention;

    private PostgresEventStore(Database db) {
        this.db = db;
        this.writer = new PostgresEventWriter(db);
        this.traces = new PostgresTraceReader(db);
        this.variables = new PostgresVariableReader(db);
        this.distributed = new PostgresDistributedReader(db);
        this.services = new PostgresServiceReader(db);
        this.baselines = new PostgresBaselineReader(db);
        this.retention = new PostgresRetention(db);
    }

    /**
     * Connects and checks (or, with {@code autoMigrate}, creates/updates) the schema.
     *
     * @throws IllegalArgumentException when the connection string is malformed
     * @throws SchemaMissingException   when the schema is missing or outdated and {@code autoMigrate} is off
     * @throws StorageException         when the database cannot be reached
     */
    public static PostgresEventStore open(PostgresStoreConfig config) {
        return new PostgresEventStore(Bootstrap.open(config));
    }

    @Override
    public String backendName() {
        return "postgres";
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public WriteResult write(List<Event> events) {
        return writer.write(events);
    }

    @Override
    public Optional<Event> event(UUID eventId) {
        return traces.event(eventId);
    }

    @Override
    public List<Event> traceEvents(UUID traceId) {
        return traces.traceEvents(traceId);
    }

    @Override
    public TracePage traceSummaries(TraceQuery query) {
        return traces.traceSummaries(query);
    }

    @Override
    public Optional<TraceSummary> traceSummary(UUID traceId) {
        return traces.traceSummary(traceId);
    }

    @Override
    public void forEachTraceWithStateChanges(Consumer<List<Event>> action) {
        traces.forEachTraceWithStateChanges(action);
    }

    @Override
    public void forEachTrace(Collection<UUID> traceIds, Consumer<List<Event>> action) {
        traces.forEachTrace(traceIds, action);
    }

    @Override
    public StoreCounts counts() {
        return traces.counts();
    }

    @Override
    public List<VariableAccess> variableAccesses(String variable) {
        return variables.variableAccesses(variable);
    }

    @Override
    public List<VariableSummary> variableSummaries() {
        return variables.variableSummaries();
    }

    @Override
    public List<AccessFootprint> accessFootprints() {
        return variables.accessFootprints();
    }

    @Override
    public Optional<DistributedSpan> span(String spanId) {
        return distributed.span(spanId);
    }

    @Override
    public List<DistributedSpan> spans(UUID traceId) {
        return distributed.spans(traceId);
    }

    @Override
    public List<DistributedEdge> edges(UUID traceId) {
        return distributed.edges(traceId);
    }

    @Override
    public List<DistributedEdge> allEdges() {
        return distributed.allEdges();
    }

    @Override
    public List<ServiceCall> serviceCalls() {
        return distributed.serviceCalls();
    }

    @Override
    public List<TraceLink> traceLinks() {
        return distributed.traceLinks();
    }

    @Override
    public List<ServiceSummary> services() {
        return services.services();
    }

    @Override
    public Map<String, DurationStats> baselines() {
        return baselines.baselines();
    }

    @Override
    public Optional<DurationStats> baseline(String key) {
        return baselines.baseline(key);
    }

    @Override
    public RetentionResult deleteTracesOlderThan(Instant cutoff) {
        return retention.deleteTracesOlderThan(cutoff);
    }

    @Override
    public RetentionResult deleteOldestTracesBeyond(long maxEvents) {
        return retention.deleteOldestTracesBeyond(maxEvents);
    }

    @Override
    public StoreHealth health() {
        return db.health();
    }

    @Override
    public void clear() {
        retention.clear();
    }

    /** The pool, for tests and benchmarks that need raw connections (e.g. a COPY ceiling). */
    public DataSource dataSource() {
        return db.dataSource;
    }
}
