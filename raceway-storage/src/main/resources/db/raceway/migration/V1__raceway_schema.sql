-- Raceway storage schema, version 1.
--
-- Events are kept exactly as received: `body` holds the full event JSON (text, not jsonb: jsonb rejects \u0000 and
-- unpaired surrogate escapes, which are valid JSON). The other columns are extracted for indexing only.
-- Timestamps are epoch nanoseconds (bigint) so that ordering is exact to the nanosecond.
-- There are deliberately no foreign keys: children arrive before parents, spans before their upstream spans, and a
-- batch must never fail because of arrival order.

CREATE TABLE events (
    id           uuid    PRIMARY KEY,
    trace_id     uuid    NOT NULL,
    ts_ns        bigint  NOT NULL,
    clock_size   integer NOT NULL,
    -- StateChange events only (NULL otherwise): the per-variable access index lives on the events themselves.
    variable     text,
    sc_thread    text,
    sc_service   text,
    sc_access    text,
    body         text    NOT NULL
);
-- traceEvents / forEachTrace: one trace in event order.
CREATE INDEX events_trace_order ON events (trace_id, ts_ns, clock_size, id);
-- Every StateChange, by variable: global race candidates, hotspots, and which traces global analysis must load.
CREATE INDEX events_by_variable ON events (variable, ts_ns, id) WHERE variable IS NOT NULL;

-- One row per trace, maintained at write time: summaries, counts, retention.
CREATE TABLE traces (
    trace_id          uuid    PRIMARY KEY,
    event_count       bigint  NOT NULL,
    first_ts_ns       bigint  NOT NULL,
    last_ts_ns        bigint  NOT NULL,
    has_state_changes boolean NOT NULL
);
-- Listing newest first, and retention oldest first.
CREATE INDEX traces_by_last ON traces (last_ts_ns DESC, trace_id);
CREATE INDEX traces_with_state_changes ON traces (trace_id) WHERE has_state_changes;

-- Events per (trace, service): the services of a summary, the service filter, and /api/services.
CREATE TABLE trace_services (
    trace_id     uuid   NOT NULL,
    service_name text   NOT NULL,
    event_count  bigint NOT NULL,
    last_ts_ns   bigint NOT NULL,
    PRIMARY KEY (trace_id, service_name)
);

CREATE TABLE distributed_spans (
    span_id     text   PRIMARY KEY,
    trace_id    uuid   NOT NULL,
    service     text   NOT NULL,
    instance    text   NOT NULL,
    first_ts_ns bigint NOT NULL,
    last_ts_ns  bigint NOT NULL
);
CREATE INDEX distributed_spans_by_trace ON distributed_spans (trace_id);

-- One edge per span pair; the first event that revealed it names it.
CREATE TABLE distributed_edges (
    from_span text   NOT NULL,
    to_span   text   NOT NULL,
    link_type text   NOT NULL,
    event_id  uuid   NOT NULL,
    ts_ns     bigint NOT NULL,
    PRIMARY KEY (from_span, to_span)
);
CREATE INDEX distributed_edges_by_to ON distributed_edges (to_span);

-- Duration baselines in milliseconds, as sums so that batches add up and a trace can be subtracted.
CREATE TABLE duration_baselines (
    baseline_key text             PRIMARY KEY,
    sample_count bigint           NOT NULL,
    sum_ms       double precision NOT NULL,
    sum_sq_ms    double precision NOT NULL,
    min_ms       double precision NOT NULL,
    max_ms       double precision NOT NULL
);
