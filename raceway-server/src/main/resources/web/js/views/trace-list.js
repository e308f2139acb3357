// Trace list: paged, newest first; search by trace id prefix, operation, duration, start time, races and service
// (all filtered by the server); race badges; auto-refresh.
import { h, s, clear, activatable, hashLink, emptyState, loading } from '../dom.js';
import { get } from '../api.js';
import { formatDateTime, formatRelative, formatMs, toMicros, isUuid } from '../format.js';
import { raceCounts } from '../race-badges.js';

const REFRESH_MS = 3000;
/** Filters kept in the URL (hash query name → /api/traces parameter). */
const FILTERS = { q: 'id_prefix', op: 'operation', min_ms: 'min_duration_ms', max_ms: 'max_duration_ms',
  since: 'since', until: 'until', races: 'has_races' };
const PAGE_SIZES = [20, 50, 100];

export function traceListView(route, ctx) {
  const state = readState(route);
  let timer = null;
  let inFlight = null;
  let lastPage = null;
  let lastPageJson = '';

  const search = h('input', {
    type: 'search', id: 'trace-search', placeholder: 'Trace id or prefix', 'aria-label': 'Search by trace id',
    spellcheck: 'false', autocomplete: 'off', value: state.q,
  });
  const opInput = h('input', { type: 'search', id: 'filter-operation', placeholder: 'Operation, e.g. POST /api/transfer',
    'aria-label': 'Filter by operation', spellcheck: 'false', autocomplete: 'off', value: state.op });
  const minInput = h('input', { type: 'number', id: 'filter-min-ms', min: '0', step: '1', placeholder: 'min ms',
    'aria-label': 'Minimum duration in milliseconds', class: 'narrow', value: state.min_ms });
  const maxInput = h('input', { type: 'number', id: 'filter-max-ms', min: '0', step: '1', placeholder: 'max ms',
    'aria-label': 'Maximum duration in milliseconds', class: 'narrow', value: state.max_ms });
  const sinceInput = h('input', { type: 'text', id: 'filter-since', placeholder: 'since (RFC 3339)',
    'aria-label': 'Started at or after (RFC 3339, e.g. 2026-01-31T12:00:00Z)', spellcheck: 'false', value: state.since });
  const untilInput = h('input', { type: 'text', id: 'filter-until', placeholder: 'until (RFC 3339)',
    'aria-label': 'Started at or before (RFC 3339)', spellcheck: 'false', value: state.until });
  const racesInput = h('input', { type: 'checkbox', id: 'filter-races', checked: state.races === 'true' });
  const filterInputs = { q: search, op: opInput, min_ms: minInput, max_ms: maxInput, since: sinceInput, until: untilInput };
  const scatterHost = h('div', { class: 'scatter-host', id: 'duration-scatter' });
  // Two traces picked for comparison (kept across refreshes and pages).
  const picked = [];
  const compareButton = h('button', { type: 'button', class: 'btn', id: 'compare-picked', disabled: true,
    onclick: () => ctx.navigate(hashLink(['compare', picked[0], picked[1]])) }, 'Compare 2 traces');
  const serviceSelect = h('select', { id: 'service-filter', 'aria-label': 'Filter by service' },
    h('option', { value: '' }, 'All services'),
    state.service ? h('option', { value: state.service, selected: true }, state.service) : null);
  const pageSizeSelect = h('select', { id: 'page-size', 'aria-label': 'Traces per page' },
    PAGE_SIZES.map((n) => h('option', { value: n, selected: n === state.pageSize }, `${n} / page`)));
  const autoRefresh = h('input', { type: 'checkbox', id: 'auto-refresh', checked: true });
  const updated = h('span', { class: 'muted small', id: 'list-updated', 'aria-live': 'polite' });
  const tableHost = h('div', { class: 'table-host' }, loading());
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });

  const el = h('section', { class: 'view view-traces', 'aria-labelledby': 'traces-title' },
    h('div', { class: 'view-head' },
      h('h1', { id: 'traces-title' }, 'Traces'),
      h('div', { class: 'toolbar' },
        h('form', { class: 'search-form', role: 'search', onsubmit: onSearchSubmit }, search),
        serviceSelect,
        pageSizeSelect,
        h('label', { class: 'check' }, autoRefresh, ' Auto-refresh'),
        h('button', { type: 'button', class: 'btn', onclick: () => load() }, 'Refresh'),
        compareButton,
        updated)),
    h('form', { class: 'toolbar filters', id: 'trace-filters', role: 'search', 'aria-label': 'Filter traces',
      onsubmit: (e) => { e.preventDefault(); applyFilters(); } },
      opInput, minInput, h('span', { class: 'muted' }, '–'), maxInput, sinceInput, untilInput,
      h('label', { class: 'check' }, racesInput, ' Only with races'),
      h('button', { type: 'button', class: 'btn', id: 'clear-filters', onclick: clearFilters }, 'Clear')),
    h('div', { class: 'filter-error', id: 'filter-error', role: 'alert' }),
    scatterHost,
    tableHost,
    pager);

  // Typing filters after a pause; the server does the filtering, so a filter reaches every page.
  let typing = null;
  for (const input of [search, opInput, minInput, maxInput, sinceInput, untilInput]) {
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(applyFilters, 350);
    });
  }
  racesInput.addEventListener('change', applyFilters);

  function applyFilters() {
    clearTimeout(typing);
    let changed = false;
    for (const [key, input] of Object.entries(filterInputs)) {
      const v = input.value.trim();
      if (v !== state[key]) { state[key] = v; changed = true; }
    }
    const races = racesInput.checked ? 'true' : '';
    if (races !== state.races) { state.races = races; changed = true; }
    if (!changed) return;
    state.page = 1;
    writeState(true);
    load();
  }

  function clearFilters() {
    for (const input of Object.values(filterInputs)) input.value = '';
    racesInput.checked = false;
    applyFilters();
  }
  serviceSelect.addEventListener('change', () => {
    state.service = serviceSelect.value;
    state.page = 1;
    writeState();
  });
  pageSizeSelect.addEventListener('change', () => {
    state.pageSize = Number(pageSizeSelect.value);
    state.page = 1;
    writeState();
  });
  autoRefresh.addEventListener('change', schedule);

  function onSearchSubmit(e) {
    e.preventDefault();
    const q = search.value.trim();
    if (isUuid(q)) {
      ctx.navigate(hashLink(['trace', q.toLowerCase()]));
      return;
    }
    applyFilters();
    const rows = lastPage ? lastPage.traces || [] : [];
    if (rows.length === 1 && String(rows[0].trace_id).startsWith(q.toLowerCase())) {
      ctx.navigate(hashLink(['trace', rows[0].trace_id]));
    }
  }

  function writeState(replace = false) {
    const hash = hashLink(['traces'], {
      page: state.page > 1 ? state.page : '',
      page_size: state.pageSize !== 20 ? state.pageSize : '',
      service: state.service, ...Object.fromEntries(Object.keys(FILTERS).map((k) => [k, state[k]])),
    });
    if (replace) history.replaceState(null, '', hash);
    else location.hash = hash;
  }

  function filtered(traces) {
    return traces; // the server filtered them
  }

  async function load() {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    const params = new URLSearchParams({ page: state.page, page_size: state.pageSize });
    if (state.service) params.set('service', state.service);
    for (const [key, param] of Object.entries(FILTERS)) {
      if (state[key]) params.set(param, key === 'q' ? state.q.toLowerCase() : state[key]);
    }
    const error = el.querySelector('#filter-error');
    try {
      const page = await get('/api/traces?' + params, { signal: controller.signal });
      error.textContent = '';
      if (controller.signal.aborted) return;
      // Unchanged data keeps the same rows (focus, hover and selection stay where the user left them).
      const json = JSON.stringify(page);
      if (json !== lastPageJson || !tableHost.querySelector('table, .empty')) {
        lastPageJson = json;
        lastPage = page;
        renderTable(page);
        renderPager(page);
        renderScatter(page);
      } else {
        for (const span of tableHost.querySelectorAll('.rel-time')) span.textContent = formatRelative(span.dataset.ts);
        const body = tableHost.querySelector('tbody');
        if (body) fillRaceBadges(filtered(page.traces || []), body, page);
      }
      updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
      loadServices(page);
    } catch (e) {
      // A filter the server refuses (400) is the user's to fix: say why next to the filters, keep the last rows.
      if (!controller.signal.aborted && e && e.status === 400) error.textContent = e.message;
      else if (!controller.signal.aborted) ctx.fail(e, tableHost);
    } finally {
      if (inFlight === controller) inFlight = null;
      schedule();
    }
  }

  async function loadServices(page) {
    const names = new Set(state.service ? [state.service] : []);
    for (const t of page.traces || []) for (const s of t.services || []) names.add(s);
    try {
      const services = await get('/api/services');
      for (const s of (services && services.services) || []) names.add(s.name);
    } catch { /* the filter still offers the services seen on this page */ }
    const sorted = [...names].sort();
    const options = [h('option', { value: '' }, 'All services'),
      ...sorted.map((n) => h('option', { value: n, selected: n === state.service }, n))];
    const focused = document.activeElement === serviceSelect;
    clear(serviceSelect).append(...options);
    serviceSelect.value = state.service;
    if (focused) serviceSelect.focus();
  }

  function renderTable(page) {
    const traces = filtered(page.traces || []);
    const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.traceId : undefined;
    if (!traces.length) {
      const filteredBy = Object.keys(FILTERS).some((k) => state[k]);
      clear(tableHost).append(emptyState(state.q && !/^[0-9a-f-]+$/i.test(state.q)
        ? `“${state.q}” is not the start of a trace id (hex digits and dashes).`
        : filteredBy ? 'No trace matches these filters.'
          : state.service ? `No traces for service “${state.service}”.`
            : 'No traces yet. Instrument a service with a Raceway SDK and send events to POST /events.'));
      return;
    }
    const body = h('tbody', null, traces.map((t) => row(t)));
    const table = h('table', { class: 'data-table', id: 'trace-table' },
      h('caption', { class: 'sr-only' }, 'Traces, newest first. Press Enter on a row to open it.'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Trace'),
        h('th', { scope: 'col' }, 'Operation'),
        h('th', { scope: 'col' }, 'Last event'),
        h('th', { scope: 'col', class: 'num' }, 'Duration'),
        h('th', { scope: 'col', class: 'num' }, 'Events'),
        h('th', { scope: 'col' }, 'Services'),
        h('th', { scope: 'col' }, 'Races'),
        h('th', { scope: 'col' }, 'Compare'))),
      body);
    clear(tableHost).append(table);
    if (focusedId) {
      const again = table.querySelector(`tr[data-trace-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
    fillRaceBadges(traces, body, page);
  }

  function row(t) {
    const href = hashLink(['trace', t.trace_id]);
    const duration = traceDurationMs(t);
    const services = t.services || [];
    const tr = h('tr', { tabindex: '0', class: 'clickable', dataset: { traceId: t.trace_id }, 'aria-label': `Trace ${t.trace_id}` },
      h('td', { class: 'mono' }, h('a', { href, tabindex: '-1' }, h('strong', null, String(t.trace_id).slice(0, 8)),
        h('span', { class: 'muted' }, String(t.trace_id).slice(8)))),
      h('td', { class: 'mono small op-cell' }, t.operation ? String(t.operation) : h('span', { class: 'muted' }, '—')),
      h('td', { title: formatDateTime(t.last_timestamp) }, h('span', { class: 'rel-time', dataset: { ts: t.last_timestamp } }, formatRelative(t.last_timestamp)),
        h('div', { class: 'muted small' }, formatDateTime(t.last_timestamp))),
      h('td', { class: 'num' }, formatMs(duration)),
      h('td', { class: 'num' }, String(t.event_count ?? '—')),
      h('td', null, h('span', { class: 'count' }, String(t.service_count ?? services.length)),
        services.slice(0, 4).map((s) => h('span', { class: 'chip' }, s)),
        services.length > 4 ? h('span', { class: 'muted small' }, ` +${services.length - 4}`) : null),
      h('td', { class: 'race-cell' }, h('span', { class: 'muted small' }, '…')),
      h('td', null, comparePick(t.trace_id)));
    activatable(tr, (e) => {
      if (e.target.closest && e.target.closest('a') && e.type === 'click') return; // the link navigates itself
      ctx.navigate(href);
    });
    return tr;
  }

  function comparePick(id) {
    const box = h('input', { type: 'checkbox', class: 'compare-pick', 'aria-label': `Compare trace ${id}`,
      checked: picked.includes(id), dataset: { traceId: id } });
    box.addEventListener('click', (e) => e.stopPropagation()); // not a click on the row
    box.addEventListener('keydown', (e) => e.stopPropagation());
    box.addEventListener('change', () => {
      const at = picked.indexOf(id);
      if (box.checked && at < 0) picked.push(id);
      if (!box.checked && at >= 0) picked.splice(at, 1);
      while (picked.length > 2) {
        const dropped = picked.shift();
        const other = tableHost.querySelector(`.compare-pick[data-trace-id="${CSS.escape(dropped)}"]`);
        if (other) other.checked = false;
      }
      compareButton.disabled = picked.length !== 2;
    });
    return box;
  }

  async function fillRaceBadges(traces, body, page) {
    // Cross-trace races of a trace change when other traces arrive: the newest activity is part of the cache key.
    const newest = Math.max(0, ...(page.traces || []).map((t) => toMicros(t.last_timestamp)).filter(Number.isFinite));
    const counts = await raceCounts(traces, `${page.total_traces}|${newest}`);
    for (const t of traces) {
      const tr = body.querySelector(`tr[data-trace-id="${CSS.escape(String(t.trace_id))}"]`);
      if (!tr) continue;
      const cell = tr.querySelector('.race-cell');
      const c = counts.get(t.trace_id);
      if (!c) {
        // A failed refresh keeps the last known badge.
        if (!cell.querySelector('.badge')) clear(cell).append(h('span', { class: 'muted small', title: 'Race analysis unavailable for this trace' }, '—'));
        continue;
      }
      clear(cell);
      if (c.total > 0) {
        cell.append(h('span', { class: 'badge badge-critical race-badge', title: `${c.local} in this trace, ${c.cross} with other traces` },
          `${c.total} race${c.total === 1 ? '' : 's'}`));
      } else cell.append(h('span', { class: 'badge badge-ok' }, 'none'));
    }
  }

  /** Each trace of the page as a dot: when it started (x) and how long it took (y); a click opens it. */
  function renderScatter(page) {
    const traces = (page.traces || []).map((t) => ({ t, x: toMicros(t.start_timestamp ?? t.first_timestamp), y: traceDurationMs(t) }))
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (traces.length < 2) {
      clear(scatterHost);
      return;
    }
    const W = 640, H = 120, L = 56, B = 20, T = 8;
    const minX = Math.min(...traces.map((p) => p.x)), maxX = Math.max(...traces.map((p) => p.x));
    const maxY = Math.max(...traces.map((p) => p.y), 1);
    const xOf = (x) => L + (maxX > minX ? ((x - minX) / (maxX - minX)) * (W - L - 10) : (W - L - 10) / 2);
    const yOf = (y) => T + (1 - y / maxY) * (H - T - B);
    const svg = s('svg', { class: 'scatter', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'group',
      'aria-label': `Durations of the ${traces.length} traces of this page` },
      s('line', { class: 'tick', x1: L, x2: W - 4, y1: H - B, y2: H - B }),
      s('line', { class: 'tick', x1: L, x2: L, y1: T, y2: H - B }),
      s('text', { class: 'tick-label', x: 4, y: T + 10 }, formatMs(maxY)),
      s('text', { class: 'tick-label', x: 4, y: H - B }, '0 ms'),
      s('text', { class: 'tick-label', x: L, y: H - 4 }, formatDateTime(traces.reduce((a, b) => (a.x < b.x ? a : b)).t.start_timestamp ?? '')),
      ...traces.map(({ t, x, y }) => {
        const dot = s('circle', { class: 'scatter-dot', cx: xOf(x).toFixed(1), cy: yOf(y).toFixed(1), r: 4, tabindex: '0', role: 'link',
          'aria-label': `Trace ${t.trace_id}, ${formatMs(y)}`, 'data-trace-id': t.trace_id },
        s('title', null, `${t.operation ?? String(t.trace_id).slice(0, 8)} · ${formatMs(y)}`));
        activatable(dot, () => ctx.navigate(hashLink(['trace', t.trace_id])));
        return dot;
      }));
    clear(scatterHost).append(svg);
  }

  function renderPager(page) {
    const totalPages = Math.max(1, page.total_pages || 1);
    const go = (p) => () => {
      state.page = p;
      writeState();
    };
    clear(pager).append(
      h('button', { type: 'button', class: 'btn', disabled: state.page <= 1, onclick: go(state.page - 1) }, '← Newer'),
      h('span', { class: 'muted' }, `Page ${state.page} of ${totalPages} · ${page.total_traces ?? 0} traces`),
      h('button', { type: 'button', class: 'btn', disabled: state.page >= totalPages, onclick: go(state.page + 1) }, 'Older →'));
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (autoRefresh.checked) {
      timer = setTimeout(() => {
        if (document.hidden) schedule();
        else load();
      }, REFRESH_MS);
    }
  }

  load();

  return {
    el,
    update(next) {
      const n = readState(next);
      const needsLoad = n.page !== state.page || n.pageSize !== state.pageSize || n.service !== state.service
        || Object.keys(FILTERS).some((k) => n[k] !== state[k]);
      Object.assign(state, n);
      for (const [key, input] of Object.entries(filterInputs)) if (input.value.trim() !== state[key]) input.value = state[key];
      racesInput.checked = state.races === 'true';
      pageSizeSelect.value = String(state.pageSize);
      serviceSelect.value = state.service;
      if (needsLoad) {
        clear(tableHost).append(loading());
        load();
      } else if (lastPage) renderTable(lastPage);
      return true;
    },
    destroy() {
      clearTimeout(timer);
      if (inFlight) inFlight.abort();
    },
  };
}

function readState(route) {
  const q = route.query;
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  const size = parseInt(q.get('page_size') || '20', 10);
  return {
    page,
    pageSize: PAGE_SIZES.includes(size) ? size : 20,
    service: q.get('service') || '',
    ...Object.fromEntries(Object.keys(FILTERS).map((k) => [k, (q.get(k) || '').trim()])),
  };
}

/** The wall-clock duration the server reports, else (an older server) last − first event. */
function traceDurationMs(t) {
  if (typeof t.duration_ms === 'number') return t.duration_ms;
  const first = toMicros(t.first_timestamp);
  const last = toMicros(t.last_timestamp);
  return Number.isNaN(first) || Number.isNaN(last) ? undefined : (last - first) / 1000;
}
