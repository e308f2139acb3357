package dev.raceway.storage.postgres;

import dev.raceway.storage.ServiceReader;
import dev.raceway.storage.ServiceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Services, from the per-(trace, service) rows kept at write time. */
final class PostgresServiceReader implements ServiceReader {
    private final Database db;

    PostgresServiceReader(Database db) {
        this.db = db;
    }

    @Override
    public List<ServiceSummary> services() {
        List<ServiceSummary> out = new ArrayList<>(db.read("reading services", h -> h.createQuery(
                        "SELECT service_name, sum(event_count), count(*), max(last_ts_ns) FROM trace_services "
                                + "GROUP BY service_name")
                .map((rs, ctx) -> new ServiceSummary(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        Rows.instant(rs.getLong(4)))).list()));
        out.sort(Comparator.comparing(ServiceSummary::name));
        return out;
    }
}
