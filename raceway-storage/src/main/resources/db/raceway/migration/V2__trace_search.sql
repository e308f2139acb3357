-- Raceway storage schema, version 2: what the trace list shows and filters on.
--
-- start_ts_ns: the trace's wall-clock start, the earliest (ts_ns - duration_ns) of its events (an event with a
--              duration is recorded when it ends). duration_ns = last_ts_ns - start_ts_ns, the wall-clock extent.
-- root_ts_ns, root_id, operation: the earliest parentless event (by ts_ns, then id) and the operation it names
--              (dev.raceway.storage.TraceOperation); NULL until such an event arrives.

ALTER TABLE traces ADD COLUMN start_ts_ns bigint;
ALTER TABLE traces ADD COLUMN root_ts_ns bigint;
ALTER TABLE traces ADD COLUMN root_id uuid;
ALTER TABLE traces ADD COLUMN operation text;

-- Traces stored before this version: the start from their events' durations (the operation stays unknown).
UPDATE traces t SET start_ts_ns = s.start_ts_ns
FROM (SELECT trace_id,
             min(ts_ns - coalesce((body::json -> 'metadata' ->> 'duration_ns')::bigint, 0)) AS start_ts_ns
      FROM events GROUP BY trace_id) s
WHERE s.trace_id = t.trace_id;
UPDATE traces SET start_ts_ns = first_ts_ns WHERE start_ts_ns IS NULL OR start_ts_ns > first_ts_ns;
ALTER TABLE traces ALTER COLUMN start_ts_ns SET NOT NULL;

ALTER TABLE traces ADD COLUMN duration_ns bigint GENERATED ALWAYS AS (last_ts_ns - start_ts_ns) STORED;

-- The duration and time-window filters; the id prefix uses the primary key (a range of uuids).
CREATE INDEX traces_by_duration ON traces (duration_ns);
CREATE INDEX traces_by_start ON traces (start_ts_ns);
