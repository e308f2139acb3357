package dev.raceway.storage.postgres;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.storage.DistributedReader;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.TraceLink;
import dev.raceway.storage.internal.EventOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Spans, the edges between them and the service calls they add up to. */
final class PostgresDistributedReader implements DistributedReader {
    private final Database db;

    PostgresDistributedReader(Database db) {
        this.db = db;
    }

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

    @Override
    public Optional<DistributedSpan> span(String spanId) {
        return db.read("reading span", h -> h.createQuery("SELECT * FROM distributed_spans WHERE span_id = :s")
                .bind("s", Rows.text(spanId)).map((rs, ctx) -> span(rs)).findOne());
    }

    @Override
    public List<DistributedSpan> spans(UUID traceId) {
        List<DistributedSpan> out = new ArrayList<>(db.read("reading spans", h -> h.createQuery(
                        "SELECT * FROM distributed_spans WHERE trace_id = :t")
                .bind("t", traceId).map((rs, ctx) -> span(rs)).list()));
        out.sort(EventOrder.SPANS);
        return out;
    }

    @Override
    public List<DistributedEdge> edges(UUID traceId) {
        List<DistributedEdge> out = new ArrayList<>(db.read("reading edges", h -> h.createQuery(
                        "SELECT * FROM distributed_edges WHERE to_span IN (SELECT span_id FROM distributed_spans "
                                + "WHERE trace_id = :t) OR from_span IN (SELECT span_id FROM distributed_spans "
                                + "WHERE trace_id = :t)")
                .bind("t", traceId).map((rs, ctx) -> edge(rs)).list()));
        out.sort(EventOrder.EDGES);
        return out;
    }

    @Override
    public List<DistributedEdge> allEdges() {
        List<DistributedEdge> out = new ArrayList<>(db.read("reading edges", h -> h.createQuery(
                "SELECT * FROM distributed_edges").map((rs, ctx) -> edge(rs)).list()));
        out.sort(EventOrder.EDGES);
        return out;
    }

    @Override
    public List<ServiceCall> serviceCalls() {
        List<ServiceCall> out = new ArrayList<>(db.read("reading service calls", h -> h.createQuery(
                        "SELECT f.service, t.service, e.link_type, count(*), count(DISTINCT t.trace_id) "
                                + "FROM distributed_edges e JOIN distributed_spans f ON f.span_id = e.from_span "
                                + "JOIN distributed_spans t ON t.span_id = e.to_span GROUP BY 1, 2, 3")
                .map((rs, ctx) -> new ServiceCall(rs.getString(1), rs.getString(2),
                        EdgeLinkType.fromWireName(rs.getString(3)).orElse(EdgeLinkType.Custom), rs.getLong(4),
                        rs.getLong(5))).list()));
        out.sort(EventOrder.SERVICE_CALLS);
        return out;
    }

    @Override
    public List<TraceLink> traceLinks() {
        return db.read("reading trace links", h -> h.createQuery(
                        "SELECT DISTINCT f.trace_id, t.trace_id FROM distributed_edges e "
                                + "JOIN distributed_spans f ON f.span_id = e.from_span "
                                + "JOIN distributed_spans t ON t.span_id = e.to_span WHERE f.trace_id <> t.trace_id "
                                + "ORDER BY 1, 2")
                .map((rs, ctx) -> new TraceLink(Rows.uuid(rs.getObject(1)), Rows.uuid(rs.getObject(2)))).list());
    }
}
