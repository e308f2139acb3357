package dev.raceway.storage.postgres;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.AccessFootprint;
import dev.raceway.storage.VariableAccess;
import dev.raceway.storage.VariableAccessReader;
import dev.raceway.storage.VariableSummary;
import dev.raceway.storage.internal.EventOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/** The per-variable access index: a partial index on the StateChange columns of {@code events}. */
final class PostgresVariableReader implements VariableAccessReader {
    private final Database db;

    PostgresVariableReader(Database db) {
        this.db = db;
    }

    @Override
    public List<VariableAccess> variableAccesses(String variable) {
        // Values come from the stored event itself, so they are exactly as received.
        return db.read("reading accesses to " + variable, h -> h.createQuery(
                        "SELECT body FROM events WHERE variable = :v ORDER BY ts_ns, id")
                .bind("v", Rows.text(variable)).mapTo(String.class).map(Rows::event)
                .filter(e -> e.kind() instanceof EventKind.StateChange)
                .map(VariableAccess::of).list());
    }

    @Override
    public List<VariableSummary> variableSummaries() {
        List<VariableSummary> out = db.read("summarising variables", h -> h.createQuery(
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

    @Override
    public List<AccessFootprint> accessFootprints() {
        // The instance is not a column: read from the body, of StateChange events only.
        return db.read("reading access footprints", h -> h.createQuery(
                        "SELECT e.variable, e.trace_id, array_agg(DISTINCT e.sc_access), count(DISTINCT (e.sc_service, "
                                + "coalesce(e.body::json -> 'metadata' ->> 'instance_id', ''), e.sc_thread)), "
                                + "min(t.start_ts_ns), min(t.last_ts_ns) "
                                + "FROM events e JOIN traces t ON t.trace_id = e.trace_id "
                                + "WHERE e.variable IS NOT NULL GROUP BY e.variable, e.trace_id")
                .map((rs, ctx) -> {
                    EnumSet<AccessType> types = EnumSet.noneOf(AccessType.class);
                    for (Object o : (Object[]) rs.getArray(3).getArray()) {
                        types.add(AccessType.fromWireName(o.toString()).orElseThrow());
                    }
                    long start = rs.getLong(5);
                    long end = rs.getLong(6);
                    return new AccessFootprint(rs.getString(1), Rows.uuid(rs.getObject(2)), types, rs.getInt(4),
                            Rows.instant(Math.min(start, end)), Rows.instant(end));
                }).list())
                .stream().sorted(Comparator.comparing(AccessFootprint::variable)
                        .thenComparing(AccessFootprint::traceId, EventOrder.UUID_ORDER)).toList();
    }
}
