// Race counts for the trace list. Trace summaries carry no race information, so the count comes from
// the trace's analysis bundle; bundles are fetched a few at a time and cached until the trace changes
// (new events or a newer last timestamp), so auto-refresh does not re-analyse unchanged traces.
import { get } from './api.js';
import { crossTraceRaceCount } from './model.js';

const cache = new Map(); // trace_id -> { stamp, counts }
const CONCURRENCY = 2;
const MAX_CACHE = 500;

function stampOf(summary, context) {
  return `${summary.event_count}|${summary.last_timestamp}|${context}`;
}

/** Race counts a summary may already carry (a server may add them); undefined when it does not. */
function fromSummary(summary) {
  for (const key of ['race_count', 'potential_races', 'races']) {
    if (typeof summary[key] === 'number') return { local: summary[key], cross: 0, total: summary[key] };
  }
  if (typeof summary.has_races === 'boolean') {
    const n = summary.has_races ? 1 : 0;
    return { local: n, cross: 0, total: n };
  }
  return undefined;
}

export function countsOfBundle(bundle) {
  const analysis = (bundle && bundle.analysis) || {};
  const local = typeof analysis.potential_races === 'number'
    ? analysis.potential_races
    : (analysis.race_details || []).length;
  const cross = crossTraceRaceCount(bundle);
  return { local, cross, total: local + cross };
}

/** Resolves to a Map trace_id → {local, cross, total}; traces whose bundle failed are absent. */
export async function raceCounts(summaries, context = '') {
  const result = new Map();
  const todo = [];
  for (const summary of summaries) {
    const direct = fromSummary(summary);
    if (direct) {
      result.set(summary.trace_id, direct);
      continue;
    }
    const cached = cache.get(summary.trace_id);
    if (cached && cached.stamp === stampOf(summary, context)) result.set(summary.trace_id, cached.counts);
    else todo.push(summary);
  }
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const summary = todo[next++];
      try {
        const bundle = await get('/api/traces/' + encodeURIComponent(summary.trace_id));
        const counts = countsOfBundle(bundle);
        remember(summary.trace_id, stampOf(summary, context), counts);
        result.set(summary.trace_id, counts);
      } catch { /* shown as unknown */ }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  return result;
}

function remember(traceId, stamp, counts) {
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value);
  cache.set(traceId, { stamp, counts });
}
