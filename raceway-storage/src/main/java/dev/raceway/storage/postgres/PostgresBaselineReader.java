package dev.raceway.storage.postgres;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.storage.BaselineReader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Duration baselines, as the sums kept at write time. */
final class PostgresBaselineReader implements BaselineReader {
    private final Database db;

    PostgresBaselineReader(Database db) {
        this.db = db;
    }

    private static DurationStats stats(ResultSet rs) throws SQLException {
        return new DurationStats(rs.getLong("sample_count"), rs.getDouble("sum_ms"), rs.getDouble("sum_sq_ms"),
                rs.getDouble("min_ms"), rs.getDouble("max_ms"));
    }

    @Override
    public Map<String, DurationStats> baselines() {
        return db.read("reading baselines", h -> {
            Map<String, DurationStats> out = new HashMap<>();
            h.createQuery("SELECT * FROM duration_baselines").map((rs, ctx) -> Map.entry(rs.getString("baseline_key"),
                    stats(rs))).forEach(e -> out.put(e.getKey(), e.getValue()));
            return Map.copyOf(out);
        });
    }

    @Override
    public Optional<DurationStats> baseline(String key) {
        return db.read("reading baseline", h -> h.createQuery("SELECT * FROM duration_baselines WHERE baseline_key = :k")
                .bind("k", Rows.text(key)).map((rs, ctx) -> stats(rs)).findOne());
    }
}
