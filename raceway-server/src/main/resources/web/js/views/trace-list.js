// Trace list: paged, newest first, service filter, search by trace id, race badges, auto-refresh.
import { h, clear, activatable, hashLink, emptyState, loading } from '../dom.js';
import { get } from '../api.js';
import { formatDateTime, formatRelative, formatMs, toMicros, isUuid } from '../format.js';
import { raceCounts } from '../race-badges.js';

const REFRESH_MS = 10000;
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
        updated)),
    tableHost,
    pager);

  search.addEventListener('input', () => {
    state.q = search.value.trim();
    writeState(true);
    if (lastPage) renderTable(lastPage);
  });
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
    const rows = filtered(lastPage ? lastPage.traces : []);
    if (rows.length === 1) ctx.navigate(hashLink(['trace', rows[0].trace_id]));
  }

  function writeState(replace = false) {
    const hash = hashLink(['traces'], {
      page: state.page > 1 ? state.page : '',
      page_size: state.pageSize !== 20 ? state.pageSize : '',
      service: state.service, q: state.q,
    });
    if (replace) history.replaceState(null, '', hash);
    else location.hash = hash;
  }

  function filtered(traces) {
    const q = state.q.toLowerCase();
    return q ? traces.filter((t) => String(t.trace_id).toLowerCase().includes(q)) : traces;
  }

  async function load() {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    const params = new URLSearchParams({ page: state.page, page_size: state.pageSize });
    if (state.service) params.set('service', state.service);
    try {
      const page = await get('/api/traces?' + params, { signal: controller.signal });
      if (controller.signal.aborted) return;
      // Unchanged data keeps the same rows (focus, hover and selection stay where the user left them).
      const json = JSON.stringify(page);
      if (json !== lastPageJson || !tableHost.querySelector('table, .empty')) {
        lastPageJson = json;
        lastPage = page;
        renderTable(page);
        renderPager(page);
      } else {
        for (const span of tableHost.querySelectorAll('.rel-time')) span.textContent = formatRelative(span.dataset.ts);
        const body = tableHost.querySelector('tbody');
        if (body) fillRaceBadges(filtered(page.traces || []), body, page);
      }
      updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
      loadServices(page);
    } catch (e) {
      if (!controller.signal.aborted) ctx.fail(e, tableHost);
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
      clear(tableHost).append(emptyState(state.q
        ? `No trace on this page matches “${state.q}”. Type a full trace id and press Enter to open it.`
        : state.service ? `No traces for service “${state.service}”.`
          : 'No traces yet. Instrument a service with a Raceway SDK and send events to POST /events.'));
      return;
    }
    const body = h('tbody', null, traces.map((t) => row(t)));
    const table = h('table', { class: 'data-table', id: 'trace-table' },
      h('caption', { class: 'sr-only' }, 'Traces, newest first. Press Enter on a row to open it.'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Trace'),
        h('th', { scope: 'col' }, 'Last event'),
        h('th', { scope: 'col', class: 'num' }, 'Duration'),
        h('th', { scope: 'col', class: 'num' }, 'Events'),
        h('th', { scope: 'col' }, 'Services'),
        h('th', { scope: 'col' }, 'Races'))),
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
    const first = toMicros(t.first_timestamp);
    const last = toMicros(t.last_timestamp);
    const duration = Number.isNaN(first) || Number.isNaN(last) ? undefined : (last - first) / 1000;
    const services = t.services || [];
    const tr = h('tr', { tabindex: '0', class: 'clickable', dataset: { traceId: t.trace_id }, 'aria-label': `Trace ${t.trace_id}` },
      h('td', { class: 'mono' }, h('a', { href, tabindex: '-1' }, h('strong', null, String(t.trace_id).slice(0, 8)),
        h('span', { class: 'muted' }, String(t.trace_id).slice(8)))),
      h('td', { title: formatDateTime(t.last_timestamp) }, h('span', { class: 'rel-time', dataset: { ts: t.last_timestamp } }, formatRelative(t.last_timestamp)),
        h('div', { class: 'muted small' }, formatDateTime(t.last_timestamp))),
      h('td', { class: 'num' }, formatMs(duration)),
      h('td', { class: 'num' }, String(t.event_count ?? '—')),
      h('td', null, h('span', { class: 'count' }, String(t.service_count ?? services.length)),
        services.slice(0, 4).map((s) => h('span', { class: 'chip' }, s)),
        services.length > 4 ? h('span', { class: 'muted small' }, ` +${services.length - 4}`) : null),
      h('td', { class: 'race-cell' }, h('span', { class: 'muted small' }, '…')));
    activatable(tr, (e) => {
      if (e.target.closest && e.target.closest('a') && e.type === 'click') return; // the link navigates itself
      ctx.navigate(href);
    });
    return tr;
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
      const s = readState(next);
      const needsLoad = s.page !== state.page || s.pageSize !== state.pageSize || s.service !== state.service;
      Object.assign(state, s);
      if (search.value.trim() !== state.q) search.value = state.q;
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
    q: q.get('q') || '',
  };
}
