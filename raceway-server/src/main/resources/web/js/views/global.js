// Global views: cross-trace races by variable, services with health, hotspots and latency.
import { h, clear, activatable, hashLink, emptyState, loading, headRow } from '../dom.js';
import { get, getOptional } from '../api.js';
import { formatMs, formatRelative, formatDateTime, shortId, debugValuesAsJson } from '../format.js';
import { serviceGraph } from '../graph.js';

const REFRESH_MS = 15000;

/**
 * Shared skeleton: a titled page that reloads its sections periodically without losing scroll. {@code controls}
 * (optional) go first in the toolbar; {@code page(...).reload()} runs the load again at once.
 */
function page(id, title, intro, loadFn, ctx, controls = []) {
  const host = h('div', { class: 'page-body' }, loading());
  const updated = h('span', { class: 'muted small', 'aria-live': 'polite' });
  const el = h('section', { class: `view view-${id}`, 'aria-labelledby': `${id}-title` },
    h('div', { class: 'view-head' },
      h('div', null, h('h1', { id: `${id}-title` }, title), intro ? h('p', { class: 'muted' }, intro) : null),
      h('div', { class: 'toolbar' }, ...controls, h('button', { type: 'button', class: 'btn', onclick: () => run() }, 'Refresh'), updated)),
    host);
  let timer;
  let alive = true;
  async function run() {
    clearTimeout(timer);
    try {
      const content = await loadFn();
      if (!alive) return;
      const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
      clear(host).append(...content);
      if (focusKey) host.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
      updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (alive) ctx.fail(e, host);
    } finally {
      if (alive) timer = setTimeout(run, REFRESH_MS);
    }
  }
  run();
  return { el, reload: run, destroy() { alive = false; clearTimeout(timer); } };
}

function card(title, ...body) {
  return h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, title)), h('div', { class: 'card-body' }, ...body));
}

function sevBadge(sev) {
  const s = String(sev ?? 'INFO');
  const cls = /crit/i.test(s) ? 'badge-critical' : /warn/i.test(s) ? 'badge-warning' : 'badge-info';
  return h('span', { class: `badge ${cls}` }, s);
}

function traceLink(id, query) {
  return h('a', { href: hashLink(['trace', String(id)], query), class: 'mono', title: String(id) }, shortId(id));
}

function rowLink(tr, href, ctx) {
  return activatable(tr, (e) => {
    if (e.type === 'click' && e.target.closest('a,button')) return;
    ctx.navigate(href);
  });
}

// ---- races ----

/** Time ranges of the Races page: the analysis covers the traces with an event in the range. */
const RACE_RANGES = [['', 'All time'], ['15m', 'Last 15 minutes', 15 * 60e3], ['1h', 'Last hour', 3600e3],
  ['24h', 'Last 24 hours', 86400e3], ['7d', 'Last 7 days', 7 * 86400e3], ['custom', 'Between…']];

export function racesView(route, ctx) {
  const q = route.query;
  const state = { range: q.get('range') || (q.get('since') || q.get('until') ? 'custom' : ''),
    since: (q.get('since') || '').trim(), until: (q.get('until') || '').trim() };
  if (!RACE_RANGES.some(([k]) => k === state.range)) state.range = '';
  const rangeSelect = h('select', { id: 'race-range', 'aria-label': 'Time range of the analysis' },
    RACE_RANGES.map(([k, label]) => h('option', { value: k, selected: k === state.range }, label)));
  const sinceInput = h('input', { type: 'text', id: 'race-since', placeholder: 'since (RFC 3339)', spellcheck: 'false',
    'aria-label': 'Traces with an event at or after (RFC 3339, e.g. 2026-01-31T12:00:00Z)', value: state.since });
  const untilInput = h('input', { type: 'text', id: 'race-until', placeholder: 'until (RFC 3339)', spellcheck: 'false',
    'aria-label': 'Traces with an event at or before (RFC 3339)', value: state.until });
  const custom = h('form', { class: 'range-custom', role: 'search', 'aria-label': 'Custom time range',
    onsubmit: (e) => { e.preventDefault(); apply(); } }, sinceInput, untilInput,
    h('button', { type: 'submit', class: 'btn' }, 'Apply'));
  const error = h('div', { class: 'filter-error', id: 'race-range-error', role: 'alert' });
  const showCustom = () => { custom.hidden = rangeSelect.value !== 'custom'; };
  showCustom();
  rangeSelect.addEventListener('change', () => { showCustom(); if (rangeSelect.value !== 'custom') apply(); });

  function apply() {
    state.range = rangeSelect.value;
    state.since = state.range === 'custom' ? sinceInput.value.trim() : '';
    state.until = state.range === 'custom' ? untilInput.value.trim() : '';
    history.replaceState(null, '', hashLink(['races'], state.range === 'custom'
      ? { since: state.since, until: state.until } : { range: state.range }));
    view.reload();
  }

  /** The query for /api/analyze/global: a relative range ends now, at every refresh. */
  function rangeQuery() {
    const relative = RACE_RANGES.find(([k, , ms]) => k === state.range && ms);
    const p = new URLSearchParams();
    if (relative) p.set('since', new Date(Date.now() - relative[2]).toISOString());
    if (state.range === 'custom' && state.since) p.set('since', state.since);
    if (state.range === 'custom' && state.until) p.set('until', state.until);
    const qs = p.toString();
    return qs ? '?' + qs : '';
  }

  const view = page('races', 'Races',
    'Conflicting accesses to the same variable that nothing orders, found by the global analysis over the stored traces — typically two concurrent requests, each its own trace, doing read-modify-write on one balance.',
    async () => {
      let global;
      try {
        global = await get('/api/analyze/global' + rangeQuery());
        error.textContent = '';
      } catch (e) {
        // A range the server refuses (400) is the user's to fix: say why next to the range.
        if (e && e.status === 400) error.textContent = e.message;
        throw e;
      }
      const [candidates, deadlocks] = await Promise.all([
        getOptional('/api/distributed/global-races').catch(() => undefined),
        getOptional('/api/analyze/deadlocks').catch(() => undefined),
      ]);
      const rangeLabel = RACE_RANGES.find(([k]) => k === state.range)[1];
      const details = (global && global.race_details) || [];
      // Per-variable groups: the server's exact per-variable counts when it sends them, else the detail pairs.
      const groups = new Map();
      if (Array.isArray(global.by_variable)) {
        for (const v of global.by_variable) {
          const pairs = (v.examples && v.examples.length) ? v.examples : details.filter((r) => r.variable === v.variable);
          groups.set(String(v.variable), { count: v.potential_races ?? pairs.length, critical: (v.critical ?? 0) > 0, traces: v.trace_count, pairs });
        }
      } else {
        for (const r of details) {
          const key = String(r.variable);
          if (!groups.has(key)) groups.set(key, { count: 0, critical: false, pairs: [] });
          const g = groups.get(key);
          g.count++;
          g.critical ||= r.severity === 'CRITICAL';
          g.pairs.push(r);
        }
      }
      const totalPairs = global.total ?? global.potential_races ?? details.length;
      const distinct = Array.isArray(global.distinct_races) ? global.distinct_races : undefined;
      const distinctCount = global.distinct_race_count ?? (distinct ? distinct.length : undefined);
      const out = [];
      out.push(h('div', { class: 'trace-summary' },
        distinct ? stat('distinct races', distinctCount, distinctCount ? 'stat-bad' : 'stat-ok') : null,
        stat('traces analysed', global.analyzed_traces ?? global.total_traces), stat('events', global.total_events),
        stat('racing pairs between traces', totalPairs, totalPairs ? 'stat-bad' : 'stat-ok'),
        stat('variables', groups.size)));
      if (state.range) {
        out.push(h('p', { class: 'muted small', id: 'race-range-note' }, state.range === 'custom'
          ? `Traces with an event ${state.since ? 'from ' + state.since : ''}${state.since && state.until ? ' ' : ''}${state.until ? 'until ' + state.until : ''}.`
          : `Traces with an event in the ${rangeLabel.toLowerCase()}.`,
          ' Shared-variable candidates and lock-order cycles below cover all stored traces.'));
      }
      if (distinct) out.push(distinctRacesCard(distinct, distinctCount));
      if (details.length < totalPairs) {
        out.push(h('p', { class: 'muted small', id: 'pairs-shown' }, `Showing ${global.shown ?? details.length} of ${totalPairs} racing pairs between traces.`));
      }
      if (!groups.size) out.push(card('Confirmed races', emptyState('No races.')));
      else {
        out.push(card(`Confirmed races by variable (${groups.size})`,
          ...[...groups.entries()].sort((a, b) => b[1].count - a[1].count).map(([variable, g]) => h('details', { class: 'var-group', open: true, dataset: { variable } },
            h('summary', null, h('code', null, variable), ' ',
              h('span', { class: 'muted' }, `${g.count} racing pair${g.count === 1 ? '' : 's'}${g.traces > 1 ? ` across ${g.traces} traces` : g.traces === 1 ? ' inside one trace' : ''}`), ' ',
              sevBadge(g.critical ? 'CRITICAL' : 'WARNING')),
            h('table', { class: 'data-table compact global-race-table' },
              h('thead', null, h('tr', null, ['severity', 'first access', 'second access', 'description'].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', null, g.pairs.map((r) => h('tr', null,
                h('td', null, sevBadge(r.severity)),
                h('td', null, traceLink(r.trace1_id, { event: r.event1_id }), ' ', h('span', { class: 'small' }, `${r.event1_thread ?? ''} @ ${r.event1_location ?? ''}`),
                  r.event1_timestamp ? h('div', { class: 'muted small' }, formatDateTime(r.event1_timestamp)) : null),
                h('td', null, traceLink(r.trace2_id, { event: r.event2_id }), ' ', h('span', { class: 'small' }, `${r.event2_thread ?? ''} @ ${r.event2_location ?? ''}`),
                  r.event2_timestamp ? h('div', { class: 'muted small' }, formatDateTime(r.event2_timestamp)) : null),
                h('td', { class: 'small muted' }, String(r.trace1_id) === String(r.trace2_id) ? h('span', { class: 'chip' }, 'same trace') : null,
                  debugValuesAsJson(r.description ?? '')))))),
            g.pairs.length < g.count ? h('p', { class: 'muted small' }, `Showing ${g.pairs.length} example pairs of ${g.count}.`) : null))));
      }
      if (candidates && (candidates.races || []).length) {
        out.push(card('Shared variables touched by several traces or threads (candidates, no ordering check)',
          h('table', { class: 'data-table compact', id: 'candidate-table' },
            h('thead', null, h('tr', null, ['variable', 'severity', 'traces', 'accesses', 'threads', 'access types', 'trace ids'].map((c, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : undefined }, c)))),
            h('tbody', null, candidates.races.map((r) => h('tr', null,
              h('td', { class: 'mono' }, String(r.variable)), h('td', null, sevBadge(r.severity)),
              h('td', { class: 'num' }, String(r.trace_count)), h('td', { class: 'num' }, String(r.access_count)),
              h('td', { class: 'num' }, String(r.thread_count)), h('td', { class: 'small' }, (r.access_types || []).join(', ')),
              h('td', null, (r.trace_ids || []).slice(0, 6).map((id) => [traceLink(id), ' ']),
                (r.trace_ids || []).length > 6 ? h('span', { class: 'muted small' }, `+${r.trace_ids.length - 6}`) : null)))))));
      }
      if (deadlocks) {
        const list = deadlocks.deadlocks || [];
        out.push(card(`Lock-order cycles (possible deadlocks): ${deadlocks.deadlock_count ?? list.length}`,
          list.length ? h('ul', { class: 'race-list' }, list.map((d) => h('li', { class: 'race-item' },
            h('div', { class: 'race-head' }, sevBadge(d.severity), h('span', { class: 'mono' }, [...(d.locks || []), (d.locks || [])[0]].filter((x) => x !== undefined).join(' → '))),
            d.description ? h('p', { class: 'muted small' }, debugValuesAsJson(d.description)) : null,
            h('div', { class: 'small' }, (d.edges || []).map((e) => h('div', null, `${e.thread_id ?? '?'} holds `, h('code', null, String(e.held_lock)), ' then takes ',
              h('code', null, String(e.acquired_lock)), ` at ${e.location ?? '?'} `, e.trace_id ? traceLink(e.trace_id, { event: e.event_id }) : null))))))
            : emptyState('No lock-order cycles found.')));
      }
      return out;
    }, ctx, [rangeSelect, custom, error]);
  return view;
}

/** Distinct races lead: one row per pair of code locations and access kinds, with how often they raced. */
export function distinctRacesCard(distinct, count, title = 'Distinct races') {
  if (!distinct.length) return card(`${title} (0)`, emptyState('No races.'));
  const shown = distinct.slice(0, 100);
  const site = (d, i) => `${(d.locations || [])[i] ?? '?'} (${(d.accesses || [])[i] ?? '?'})`;
  const variables = (d) => (d.variables || []).map((v) => h('code', null, String(v))).flatMap((x, i) => (i ? [', ', x] : [x]));
  const row = (d) => h('tr', null,
    h('td', null, sevBadge(d.severity)),
    h('td', { class: 'mono small' }, site(d, 0)),
    h('td', { class: 'mono small' }, site(d, 1)),
    h('td', { class: 'num' }, String(d.occurrences ?? '—')),
    h('td', { class: 'num' }, String(d.traces ?? '—')),
    h('td', { class: 'small' }, variables(d)));
  const head = ['severity', 'first location', 'second location', 'pairs', 'traces', 'variables']
    .map((c, i) => h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : undefined }, c));
  return card(`${title} (${count})`, h('table', { class: 'data-table compact', id: 'distinct-race-table' },
    h('caption', { class: 'muted small' }, `showing ${shown.length} of ${count}`),
    h('thead', null, h('tr', null, head)),
    h('tbody', null, shown.map(row))));
}

function stat(label, value, cls) {
  return h('div', { class: ['stat', cls] }, h('div', { class: 'stat-value' }, String(value ?? '—')), h('div', { class: 'stat-label' }, label));
}

// ---- services ----

export function servicesView(route, ctx) {
  const name = route.parts[1];
  if (name !== undefined) return serviceDetail(name, ctx);
  return page('services', 'Services', 'Services seen in the last hour, their health and the calls between them.', async () => {
    const [services, health, edges] = await Promise.all([
      get('/api/services'),
      get('/api/services/health?time_window_minutes=60').catch(() => []),
      getOptional('/api/distributed/edges').catch(() => undefined),
    ]);
    const healthByName = new Map((Array.isArray(health) ? health : []).map((s) => [s.name, s]));
    const names = new Set([...((services && services.services) || []).map((s) => s.name), ...healthByName.keys()]);
    const byName = new Map(((services && services.services) || []).map((s) => [s.name, s]));
    const rows = [...names].sort().map((n) => ({ name: n, svc: byName.get(n) || {}, health: healthByName.get(n) }));
    const out = [];
    if (!rows.length) {
      out.push(card('Services', emptyState('No services have reported events yet.')));
      return out;
    }
    out.push(card(`Services (${rows.length})`, h('table', { class: 'data-table', id: 'service-table' },
      h('thead', null, h('tr', null, ['service', 'status', 'traces', 'events', 'events / trace', 'last activity'].map((c, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : undefined }, c)))),
      h('tbody', null, rows.map((r) => {
        const status = r.health ? r.health.status : 'idle';
        const href = hashLink(['services', r.name]);
        const tr = h('tr', { tabindex: '0', class: 'clickable', dataset: { key: 'svc:' + r.name } },
          h('td', null, h('a', { href, tabindex: '-1' }, r.name)),
          h('td', null, h('span', { class: `status status-${status}` }, status)),
          h('td', { class: 'num' }, String(r.svc.trace_count ?? r.health?.trace_count ?? '—')),
          h('td', { class: 'num' }, String(r.svc.event_count ?? '—')),
          h('td', { class: 'num' }, r.health ? Number(r.health.avg_events_per_trace ?? 0).toFixed(1) : '—'),
          h('td', { title: r.health ? formatDateTime(r.health.last_activity) : '' }, r.health ? formatRelative(r.health.last_activity) : 'not in the last hour'));
        return rowLink(tr, href, ctx);
      })))));
    const edgeList = (edges && edges.edges) || [];
    if (edgeList.length) {
      out.push(card('Service map', serviceGraph(rows.map((r) => ({ name: r.name, detail: `${r.svc.event_count ?? 0} events` })),
        edgeList.map((e) => ({ from: e.from_service, to: e.to_service, count: e.call_count, label: `${e.call_count}× ${e.link_type ?? ''}`.trim() })))));
    }
    return out;
  }, ctx);
}

function serviceDetail(name, ctx) {
  const view = page('service', `Service ${name}`, null, async () => {
    const enc = encodeURIComponent(name);
    const [traces, deps] = await Promise.all([
      get(`/api/services/${enc}/traces?page=1&page_size=20`),
      get(`/api/services/${enc}/dependencies`).catch(() => undefined),
    ]);
    const out = [h('p', null, h('a', { href: '#/services', class: 'back-link' }, '← Services'), ' ',
      h('a', { href: hashLink(['traces'], { service: name }) }, 'All traces of this service →'))];
    if (deps) {
      const links = [
        ...(deps.calls_to || []).map((d) => ({ from: name, to: d.to, count: d.total_calls })),
        ...(deps.called_by || []).map((d) => ({ from: d.from ?? d.to, to: name, count: d.total_calls })),
      ];
      out.push(card('Dependencies', links.length ? serviceGraph([{ name, detail: 'this service' }], links) : emptyState('No calls to or from other services recorded.')));
    }
    const list = (traces && traces.traces) || [];
    out.push(card(`Recent traces (${traces.total_traces ?? list.length})`, list.length ? h('table', { class: 'data-table compact' },
      headRow(['trace', 'last event', 'events', 'services'], [2]),
      h('tbody', null, list.map((t) => {
        const href = hashLink(['trace', t.trace_id]);
        return rowLink(h('tr', { tabindex: '0', class: 'clickable', dataset: { key: 'trace:' + t.trace_id } },
          h('td', null, traceLink(t.trace_id)), h('td', null, formatRelative(t.last_timestamp)),
          h('td', { class: 'num' }, String(t.event_count)), h('td', null, (t.services || []).map((s) => h('span', { class: 'chip' }, s)))), href, ctx);
      }))) : emptyState('No traces.')));
    return out;
  }, ctx);
  return { ...view, update: (next) => (next.parts[1] === name ? true : false) };
}

// ---- hotspots ----

export function hotspotsView(route, ctx) {
  return page('hotspots', 'Hotspots', 'The most contended variables, the busiest service calls, and trace latency.', async () => {
    const [hot, perf] = await Promise.all([
      get('/api/distributed/hotspots'),
      getOptional('/api/performance/metrics?limit=50').catch(() => undefined),
    ]);
    const out = [];
    const vars = (hot && hot.top_variables) || [];
    const max = Math.max(1, ...vars.map((v) => v.access_count || 0));
    out.push(card('Most accessed variables', vars.length ? h('table', { class: 'data-table compact', id: 'hot-variables' },
      headRow(['variable', 'accesses', '', 'traces', 'services'], [1, 3]),
      h('tbody', null, vars.map((v) => h('tr', null, h('td', { class: 'mono' }, String(v.variable)),
        h('td', { class: 'num' }, String(v.access_count)),
        h('td', { class: 'bar-cell' }, h('div', { class: 'bar bar-thin' }, h('div', { class: 'bar-fill', style: { width: `${(100 * v.access_count) / max}%` } }))),
        h('td', { class: 'num' }, String(v.trace_count)), h('td', null, (v.services || []).map((s) => h('span', { class: 'chip' }, s)))))))
      : emptyState('No shared-state accesses recorded.')));
    const calls = (hot && hot.top_service_calls) || [];
    out.push(card('Busiest service calls', calls.length ? h('table', { class: 'data-table compact' },
      headRow(['from', 'to', 'calls'], [2]),
      h('tbody', null, calls.map((c) => h('tr', null, h('td', null, c.from_service), h('td', null, c.to_service), h('td', { class: 'num' }, String(c.call_count))))))
      : emptyState('No cross-service calls recorded.')));
    if (perf && perf.trace_latency) {
      const lat = perf.trace_latency;
      out.push(card('Trace latency (newest 50 traces)',
        h('div', { class: 'trace-summary' }, stat('average', formatMs(lat.avg_ms)), stat('p50', formatMs(lat.p50_ms)), stat('p95', formatMs(lat.p95_ms)), stat('p99', formatMs(lat.p99_ms)),
          perf.throughput ? stat('events / s', Number(perf.throughput.events_per_second ?? 0).toFixed(1)) : null),
        (lat.slowest_traces || []).length ? h('table', { class: 'data-table compact' },
          h('caption', null, 'Slowest traces'),
          headRow(['trace', 'duration', 'services'], [1]),
          h('tbody', null, lat.slowest_traces.map((t) => h('tr', null, h('td', null, traceLink(t.trace_id)), h('td', { class: 'num' }, formatMs(t.duration_ms)),
            h('td', null, (t.services || []).map((s) => h('span', { class: 'chip' }, s))))))) : null));
    }
    return out;
  }, ctx);
}
