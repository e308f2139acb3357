package dev.raceway.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.storage.EventStores;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.testing.EmbeddedPg;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trace list's filters are served by indexes on a table big enough for the planner to prefer them. */
class TraceSearchIndexTest {
    private static final int TRACES = 50_000;
    private static PostgresEventStore store;
    private static Jdbi jdbi;

    @BeforeAll
    static void fillTracesTable() {
        store = (PostgresEventStore) EventStores.open(EmbeddedPg.config("trace_search_index"));
        store.clear();
        jdbi = Jdbi.create(store.dataSource());
        // Summary rows only (what the filters read): 50,000 traces, 5 of them transfers.
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO traces (trace_id, event_count, first_ts_ns, last_ts_ns, has_state_changes, "
                    + "start_ts_ns, operation) SELECT gen_random_uuid(), 10, i * 1000, i * 1000 + 500, false, "
                    + "i * 1000, CASE WHEN i % 10000 = 0 THEN 'POST /api/Transfer/' || i "
                    + "ELSE 'GET /api/item/' || i END FROM generate_series(1, " + TRACES + ") i");
            h.execute("ANALYZE traces");
        });
    }

    @AfterAll
    static void close() {
        store.clear();
        store.close();
    }

    private static String plan(TraceQuery query) {
        PostgresTraceReader.Filter f = PostgresTraceReader.filter(query).orElseThrow();
        List<String> lines = jdbi.withHandle(h -> h.createQuery("EXPLAIN SELECT count(*) FROM traces t" + f.where())
                .bindMap(f.params()).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    @Test
    void theOperationFilterUsesTheTrigramIndex() {
        assertThat(plan(TraceQuery.page(1, 20).withOperation("transfer"))).contains("traces_by_operation");

        TracePage page = store.traceSummaries(TraceQuery.page(1, 20).withOperation("transfer"));
        assertThat(page.totalTraces()).isEqualTo(5);
        assertThat(page.traces()).extracting(t -> t.operation().orElseThrow())
                .allMatch(op -> op.startsWith("POST /api/Transfer/"));
    }

    @Test
    void withoutTheFilterTheIndexIsNotUsed() {
        // the plan text is what the first test reads: it must be able to say "no"
        assertThat(plan(TraceQuery.page(1, 20))).doesNotContain("traces_by_operation");
    }

    @Test
    void aFilterWithLikeWildcardsIsMatchedLiterally() {
        assertThat(store.traceSummaries(TraceQuery.page(1, 20).withOperation("api_item")).totalTraces()).isZero();
        assertThat(store.traceSummaries(TraceQuery.page(1, 20).withOperation("item/4999")).traces())
                .extracting(TraceSummary::operation).hasSize(11); // 4999 and 49990..49999
    }
}
