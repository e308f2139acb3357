// Trace view: summary, timeline, tabs (races, critical path, events, variables/audit trail, anomalies,
// dependencies, deadlocks) and the event details panel.
import { h, clear, activatable, hashLink, emptyState, loading, replaceQuery, headRow } from '../dom.js';
import { get, getOptional } from '../api.js';
import {
  formatMs, formatPercent, formatDateTime, formatTime, shortId, eventLabel, kindName, kindPayload, jsonText, toMicros,
  debugValuesAsJson,
} from '../format.js';
import { buildModel, crossTraceRaceCount } from '../model.js';
import { renderTimeline, legend } from '../timeline.js';
import { renderCanvasTimeline } from '../timeline-canvas.js';
import { eventDetails } from '../event-details.js';
import { serviceGraph } from '../graph.js';

const REFRESH_MS = 10000;
const TABS = [
  ['races', 'Races'],
  ['critical', 'Critical path'],
  ['events', 'Events'],
  ['variables', 'Variables'],
  ['anomalies', 'Anomalies'],
  ['dependencies', 'Dependencies'],
  ['deadlocks', 'Deadlocks'],
];
/** Rows of one page of the Events tab. */
const EVENT_PAGE = 500;
/** From this many events on, the timeline is drawn on a canvas (SVG with one element per event gets slow). */
const CANVAS_FROM = 2000;

/** The timeline renderer for a trace of this size. */
function timelineFor(model) {
  return model.events.length >= CANVAS_FROM ? renderCanvasTimeline : renderTimeline;
}

export function traceView(route, ctx) {
  const state = {
    traceId: route.parts[1] || '',
    tab: 'races',
    variable: undefined,
    selectedId: route.query.get('event') || undefined,
    zoom: 1,
    eventPage: 0,
  };
  applyRoute(route);

  let model = null;
  let bundleText = '';
  let deadlocks; // undefined = not offered by the server
  let timeline = null;
  let timer = null;
  let auditRequest = 0;

  const summaryHost = h('div', { class: 'trace-summary' });
  const timelineHost = h('div', { class: 'timeline-host', tabindex: '-1' });
  const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Trace analyses' });
  const tabPanel = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'trace-tabpanel', tabindex: '0' });
  const detailsHost = h('aside', { class: 'details-panel', 'aria-label': 'Event details', id: 'event-details' });
  const zoomLabel = h('span', { class: 'muted small zoom-label' }, '1×');
  const body = h('div', { class: 'trace-body' }, loading('Loading trace…'));

  const el = h('section', { class: 'view view-trace', 'aria-labelledby': 'trace-title' },
    h('div', { class: 'view-head' },
      h('div', null,
        h('a', { href: '#/traces', class: 'back-link' }, '← Traces'),
        h('h1', { id: 'trace-title' }, 'Trace ', h('span', { class: 'mono' }, state.traceId))),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'btn', id: 'export-json', onclick: exportJson }, 'Export JSON'),
        h('button', { type: 'button', class: 'btn', onclick: () => load(true) }, 'Refresh'))),
    body);

  function applyRoute(r) {
    state.traceId = r.parts[1] || state.traceId;
    if (r.parts[2] === 'audit' && r.parts[3] !== undefined) {
      state.tab = 'variables';
      state.variable = r.parts[3];
    } else {
      state.variable = undefined;
      const tab = r.query.get('tab');
      if (tab && TABS.some(([id]) => id === tab)) state.tab = tab;
    }
    if (r.query.get('event')) state.selectedId = r.query.get('event');
  }

  async function load(manual = false) {
    clearTimeout(timer);
    try {
      const [bundle, dl] = await Promise.all([
        get('/api/traces/' + encodeURIComponent(state.traceId)),
        getOptional('/api/traces/' + encodeURIComponent(state.traceId) + '/deadlocks').catch(() => undefined),
      ]);
      // Events never change once stored (ids are idempotent): their count, with the analyses, tells a change
      // without serialising a big trace's events on every refresh.
      const text = (bundle.events || []).length + '|' + JSON.stringify(bundle.analysis ?? null)
        + JSON.stringify(bundle.cross_trace_races ?? null) + JSON.stringify(bundle.critical_path ?? null)
        + JSON.stringify(bundle.anomalies ?? null) + JSON.stringify(dl ?? null);
      if (text !== bundleText || manual) {
        bundleText = text;
        const started = performance.now();
        model = buildModel(state.traceId, bundle);
        timelineHost.dataset.modelMs = (performance.now() - started).toFixed(1);
        deadlocks = dl;
        renderAll();
      }
    } catch (e) {
      if (!model) ctx.fail(e, body);
      else ctx.fail(e);
    } finally {
      timer = setTimeout(() => (document.hidden ? (timer = setTimeout(load, REFRESH_MS)) : load()), REFRESH_MS);
    }
  }

  function renderAll() {
    const scroll = timelineHost.scrollLeft;
    const hadFocus = el.contains(document.activeElement) && document.activeElement.dataset && document.activeElement.dataset.eventId;
    renderSummary();
    if (!body.contains(timelineHost)) {
      clear(body).append(
        summaryHost,
        h('div', { class: 'card timeline-card' },
          h('div', { class: 'card-head' },
            h('h2', null, 'Timeline'),
            legend(),
            h('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom' },
              h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Zoom out', onclick: () => setZoom(state.zoom / 2) }, '−'),
              zoomLabel,
              h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Zoom in', onclick: () => setZoom(state.zoom * 2) }, '+'),
              h('button', { type: 'button', class: 'btn btn-small', onclick: () => setZoom(1) }, 'Fit'))),
          timelineHost),
        h('div', { class: 'trace-lower' },
          h('div', { class: 'card tabs-card' }, tabList, tabPanel),
          detailsHost));
    }
    if (!model.events.length) {
      clear(timelineHost).append(emptyState('This trace has no events.'));
      timeline = null;
    } else {
      fittedWidth = timelineHost.clientWidth;
      timeline = timelineFor(model)(timelineHost, model, { zoom: state.zoom, selectedId: state.selectedId, onSelect: select });
      timelineHost.scrollLeft = scroll;
    }
    renderTabs();
    renderDetails();
    if (hadFocus && timeline) timeline.focus(hadFocus);
    if (state.selectedId && timeline) timeline.select(state.selectedId);
  }

  // Re-fit the timeline when its width changes (window resize, scrollbar appearing), not on every pixel.
  let fittedWidth = 0;
  const resizeObserver = new ResizeObserver(() => {
    const w = timelineHost.clientWidth;
    if (model && model.events.length && Math.abs(w - fittedWidth) > 24) {
      fittedWidth = w;
      setZoom(state.zoom);
    }
  });
  resizeObserver.observe(timelineHost);

  function setZoom(z) {
    state.zoom = Math.min(64, Math.max(1, z));
    zoomLabel.textContent = `${state.zoom}×`;
    if (model && model.events.length) {
      const started = performance.now();
      timeline = timelineFor(model)(timelineHost, model, { zoom: state.zoom, selectedId: state.selectedId, onSelect: select });
      if (state.selectedId) timeline.select(state.selectedId);
      timelineHost.dataset.zoomMs = (performance.now() - started).toFixed(1);
    }
  }

  function renderSummary() {
    const b = model.bundle;
    const analysis = b.analysis || {};
    // the exact pair count, not the length of the (capped) list: the list badge and the API show the same
    const localRaces = analysis.total ?? analysis.potential_races ?? model.races.local.length;
    const distinctRaces = analysis.distinct_race_count;
    const crossRaces = crossTraceRaceCount(b);
    const cp = model.critical;
    const anomalies = Array.isArray(b.anomalies) ? b.anomalies.length : 0;
    const dlCount = deadlocks ? (deadlocks.deadlock_count ?? (deadlocks.deadlocks || []).length) : undefined;
    const stat = (label, value, extra) => h('div', { class: ['stat', extra && extra.cls] },
      h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
    clear(summaryHost).append(
      stat('events', String(model.events.length)),
      stat('services', String(model.services.length)),
      stat('lanes (threads)', String(model.lanes.length)),
      stat('duration', formatMs((model.endUs - model.startUs) / 1000)),
      stat('started', model.events.length ? formatDateTime(model.events[0].event.timestamp) : '—'),
      distinctRaces === undefined ? null : stat('distinct races in trace', String(distinctRaces), { cls: distinctRaces ? 'stat-bad' : 'stat-ok' }),
      stat('racing pairs in trace', String(localRaces), { cls: localRaces ? 'stat-bad' : 'stat-ok' }),
      stat('cross-trace races', b.cross_trace_races === undefined ? 'n/a' : String(crossRaces), { cls: crossRaces ? 'stat-bad' : '' }),
      stat('critical path', cp ? formatPercent(cp.percentage_of_wall ?? cp.percentage_of_total) : '—', { cls: cp ? 'stat-crit' : '' }),
      stat('anomalies', String(anomalies), { cls: anomalies ? 'stat-warn' : '' }),
      stat('deadlock risks', dlCount === undefined ? 'n/a' : String(dlCount), { cls: dlCount ? 'stat-bad' : '' }));
  }

  // ---- tabs ----

  function renderTabs() {
    const counts = {
      races: model.races.local.length + model.races.cross.length,
      critical: model.criticalIds.length,
      events: model.events.length,
      variables: variablesOf(model).length,
      anomalies: (model.bundle.anomalies || []).length,
      dependencies: model.bundle.dependencies ? (model.bundle.dependencies.dependencies || []).length : 0,
      deadlocks: deadlocks ? (deadlocks.deadlocks || []).length : 0,
    };
    clear(tabList).append(...TABS.map(([id, label]) => {
      const selected = id === state.tab;
      const tab = h('button', {
        type: 'button', role: 'tab', id: `tab-${id}`, 'aria-selected': String(selected), 'aria-controls': 'trace-tabpanel',
        tabindex: selected ? '0' : '-1', class: ['tab', selected && 'active', id === 'races' && counts.races && 'tab-alert'],
        onclick: () => chooseTab(id),
      }, label, h('span', { class: 'tab-count' }, String(counts[id])));
      tab.addEventListener('keydown', (e) => {
        const i = TABS.findIndex(([t]) => t === id);
        let j;
        if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
        else if (e.key === 'ArrowLeft') j = (i - 1 + TABS.length) % TABS.length;
        else if (e.key === 'Home') j = 0;
        else if (e.key === 'End') j = TABS.length - 1;
        if (j !== undefined) {
          e.preventDefault();
          chooseTab(TABS[j][0]);
          document.getElementById(`tab-${TABS[j][0]}`)?.focus();
        }
      });
      return tab;
    }));
    tabPanel.setAttribute('aria-labelledby', `tab-${state.tab}`);
    const render = {
      races: renderRaces, critical: renderCritical, events: renderEvents, variables: renderVariables,
      anomalies: renderAnomalies, dependencies: renderDependencies, deadlocks: renderDeadlocks,
    }[state.tab];
    clear(tabPanel);
    render(tabPanel);
  }

  function chooseTab(id) {
    if (id === state.tab && !(id === 'variables' && state.variable)) return;
    state.tab = id;
    state.variable = undefined;
    replaceQuery({ tab: id === 'races' ? '' : id, event: state.selectedId }, ['trace', state.traceId]);
    renderTabs();
  }

  function renderRaces(panel) {
    const { local, cross } = model.races;
    if (!local.length && !cross.length) {
      panel.append(emptyState(model.bundle.cross_trace_races === undefined
        ? 'No races inside this trace. (This server does not report cross-trace races per trace; see the Races page.)'
        : 'No races: every pair of conflicting accesses is ordered by happens-before or a common lock.'));
    }
    const analysis = model.bundle.analysis || {};
    if (Array.isArray(analysis.distinct_races) && analysis.distinct_races.length) {
      const count = analysis.distinct_race_count ?? analysis.distinct_races.length;
      const shown = analysis.distinct_races.slice(0, 50);
      panel.append(h('h3', null, `Distinct races inside this trace (${count})`),
        h('ul', { class: 'race-list', id: 'distinct-races' }, shown.map((d) => h('li', { class: 'race-item' },
          h('div', { class: 'race-head' },
            h('span', { class: `badge ${d.severity === 'CRITICAL' ? 'badge-critical' : 'badge-warning'}` }, String(d.severity)),
            h('span', { class: 'mono small' }, `${(d.locations || [])[0]} (${(d.accesses || [])[0]}) × ${(d.locations || [])[1]} (${(d.accesses || [])[1]})`)),
          h('div', { class: 'muted small' }, `${d.occurrences} racing pair${d.occurrences === 1 ? '' : 's'} on ${(d.variables || []).join(', ')}`)))),
        h('p', { class: 'muted small' }, `showing ${shown.length} of ${count}`));
    }
    if (local.length) {
      const total = analysis.total ?? analysis.potential_races ?? local.length;
      panel.append(h('h3', null, `Racing pairs inside this trace (${total})`),
        h('ul', { class: 'race-list', id: 'local-races' }, local.map((race) => raceItem(race))));
      panel.append(h('p', { class: 'muted small' }, `Showing ${local.length} of ${total} pairs.`));
    }
    if (cross.length) {
      const total = crossTraceRaceCount(model.bundle);
      panel.append(h('h3', null, `With other traces (${total})`),
        h('ul', { class: 'race-list', id: 'cross-races' }, cross.map((race) => raceItem(race))));
      if (total > cross.length) panel.append(h('p', { class: 'muted small' }, `Showing ${cross.length} of ${total} pairs.`));
    }
    const notes = (model.bundle.analysis && model.bundle.analysis.anomalies) || [];
    if (notes.length && local.length) {
      panel.append(h('details', { class: 'raw-notes' }, h('summary', null, 'Analysis notes (text)'),
        h('pre', null, notes.map(debugValuesAsJson).join('\n'))));
    }
  }

  function raceItem(race) {
    const sevClass = race.severity === 'CRITICAL' ? 'badge-critical' : race.severity === 'WARNING' ? 'badge-warning' : 'badge-info';
    const sideText = (side, i) => {
      const entry = side.eventId && model.byId.get(side.eventId);
      const inThisTrace = Boolean(entry);
      const label = entry ? eventLabel(entry.event) : 'access';
      const where = `${side.thread ?? '?'}${side.location ? ' @ ' + side.location : ''}`;
      if (inThisTrace) {
        return h('button', { type: 'button', class: 'linklike race-side', onclick: () => select(entry.id, true) },
          `${i + 1}. ${label} — ${where}`);
      }
      const otherTrace = side.traceId || race.otherTraceId;
      return h('span', { class: 'race-side' }, `${i + 1}. ${where} in trace ${shortId(otherTrace)} `,
        otherTrace ? h('a', { href: hashLink(['trace', otherTrace], { event: side.eventId }), class: 'other-trace-link' }, 'open other trace →') : null);
    };
    const li = h('li', { class: ['race-item', `race-${race.kind}`], dataset: { variable: String(race.variable) } },
      h('div', { class: 'race-head' },
        h('span', { class: `badge ${sevClass}` }, race.severity),
        h('a', { href: hashLink(['trace', model.traceId, 'audit', String(race.variable)]), class: 'race-variable mono' }, String(race.variable)),
        race.kind === 'cross' ? h('span', { class: 'chip' }, 'cross-trace') : null),
      h('div', { class: 'race-sides' }, race.sides.map((side, i) => sideText(side, i))),
      race.description ? h('p', { class: 'muted small race-desc' }, race.description) : null);
    return li;
  }

  function renderCritical(panel) {
    const cp = model.critical;
    if (!cp || !Array.isArray(cp.path) || !cp.path.length) {
      panel.append(emptyState('No critical path: no event of this trace reports a duration.'));
      return;
    }
    // The wall-clock share (this server); a reference server only has the sums of durations.
    const wall = cp.trace_wall_duration_ms !== undefined;
    const pct = Number(wall ? cp.percentage_of_wall : cp.percentage_of_total) || 0;
    panel.append(
      h('p', { class: 'crit-summary', id: 'critical-summary' },
        h('strong', null, `${cp.path_events ?? cp.path.length} events`), ' on the critical path cover ',
        h('strong', null, formatMs(wall ? cp.wall_duration_ms : cp.total_duration_ms)), ' of ',
        formatMs(wall ? cp.trace_wall_duration_ms : cp.trace_total_duration_ms),
        wall ? ' of wall-clock time — ' : ' — ',
        h('strong', { class: 'crit-pct' }, formatPercent(pct)), ' of the trace.'),
      h('div', { class: 'bar', role: 'img', 'aria-label': `Critical path share ${formatPercent(pct)}` },
        h('div', { class: 'bar-fill bar-crit', style: { width: `${Math.min(100, Math.max(0, pct))}%` } })));
    const max = Math.max(...cp.path.map((p) => Number(p.duration_ms) || 0), 0.000001);
    panel.append(h('ol', { class: 'crit-list', id: 'critical-path' }, cp.path.map((step) => {
      const entry = model.byId.get(String(step.id));
      const li = h('li', { tabindex: '0', class: 'clickable', dataset: { eventId: String(step.id) } },
        h('div', { class: 'crit-step' },
          h('span', { class: 'mono' }, String(step.kind ?? (entry ? kindName(entry.event) : '?'))),
          h('span', { class: 'muted small' }, `${step.location ?? ''}${entry ? ' · ' + entry.lane.service : ''}`),
          h('span', { class: 'num' }, formatMs(step.duration_ms))),
        h('div', { class: 'bar bar-thin' }, h('div', { class: 'bar-fill bar-crit', style: { width: `${(100 * (Number(step.duration_ms) || 0)) / max}%` } })));
      activatable(li, () => select(String(step.id), true));
      return li;
    })));
  }

  function renderEvents(panel) {
    const pages = Math.max(1, Math.ceil(model.events.length / EVENT_PAGE));
    state.eventPage = Math.min(Math.max(0, state.eventPage), pages - 1);
    const from = state.eventPage * EVENT_PAGE;
    const rows = model.events.slice(from, from + EVENT_PAGE);
    const table = h('table', { class: 'data-table compact', id: 'event-table' },
      headRow(['time', 'service · thread', 'kind', 'what', 'duration', ''], [4]),
      h('tbody', null, rows.map((e) => {
        const races = model.raceByEvent.get(e.id);
        const tr = h('tr', { tabindex: '0', class: ['clickable', e.id === state.selectedId && 'selected-row'], dataset: { eventId: e.id } },
          h('td', { class: 'mono small' }, '+' + formatMs((e.us - model.startUs) / 1000)),
          h('td', { class: 'small' }, `${e.lane.service} · ${e.lane.thread}`),
          h('td', null, kindName(e.event)),
          h('td', { class: 'mono small' }, eventLabel(e.event)),
          h('td', { class: 'num small' }, e.durUs ? formatMs(e.durUs / 1000) : ''),
          h('td', null,
            races ? h('span', { class: 'badge badge-critical' }, 'race') : null,
            model.criticalSet.has(e.id) ? h('span', { class: 'badge badge-crit' }, 'critical') : null));
        activatable(tr, () => select(e.id, true));
        return tr;
      })));
    panel.append(table);
    if (pages > 1) {
      const go = (p) => () => {
        state.eventPage = p;
        renderTabs();
      };
      panel.append(h('nav', { class: 'pager', id: 'event-pager', 'aria-label': 'Event pages' },
        h('button', { type: 'button', class: 'btn', disabled: state.eventPage === 0, onclick: go(state.eventPage - 1) }, '← Earlier'),
        h('span', { class: 'muted' }, `Events ${from + 1}–${from + rows.length} of ${model.events.length} · page ${state.eventPage + 1} of ${pages}`),
        h('button', { type: 'button', class: 'btn', disabled: state.eventPage >= pages - 1, onclick: go(state.eventPage + 1) }, 'Later →')));
    }
  }

  function renderVariables(panel) {
    if (state.variable !== undefined) {
      renderAudit(panel, state.variable);
      return;
    }
    const vars = variablesOf(model);
    if (!vars.length) {
      panel.append(emptyState('No shared state was tracked in this trace (no StateChange events).'));
      return;
    }
    panel.append(h('table', { class: 'data-table compact', id: 'variable-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'variable'), h('th', { scope: 'col', class: 'num' }, 'accesses'),
        h('th', { scope: 'col', class: 'num' }, 'writes'), h('th', { scope: 'col', class: 'num' }, 'threads'), h('th', { scope: 'col' }, 'races'))),
      h('tbody', null, vars.map((v) => {
        const href = hashLink(['trace', model.traceId, 'audit', v.name]);
        const tr = h('tr', { tabindex: '0', class: 'clickable', dataset: { variable: v.name } },
          h('td', { class: 'mono' }, h('a', { href, tabindex: '-1' }, v.name)),
          h('td', { class: 'num' }, String(v.accesses)),
          h('td', { class: 'num' }, String(v.writes)),
          h('td', { class: 'num' }, String(v.threads)),
          h('td', null, v.races ? h('span', { class: 'badge badge-critical' }, `${v.races} race${v.races > 1 ? 's' : ''}`) : ''));
        activatable(tr, (e) => {
          if (e.type === 'click' && e.target.closest('a')) return;
          ctx.navigate(href);
        });
        return tr;
      }))));
  }

  async function renderAudit(panel, variable) {
    const request = ++auditRequest;
    const head = h('div', { class: 'audit-head' },
      h('a', { href: hashLink(['trace', model.traceId], { tab: 'variables' }), class: 'back-link' }, '← All variables'),
      h('h3', { id: 'audit-title' }, 'Audit trail of ', h('code', null, variable)));
    const host = h('div', null, loading('Loading audit trail…'));
    panel.append(head, host);
    let accesses;
    try {
      const trail = await get(`/api/traces/${encodeURIComponent(model.traceId)}/audit-trail/${encodeURIComponent(variable)}`);
      accesses = (trail && trail.accesses) || [];
    } catch (e) {
      const fallback = model.bundle.audit_trails && model.bundle.audit_trails[variable];
      if (!fallback) {
        if (request === auditRequest) ctx.fail(e, host);
        return;
      }
      accesses = fallback;
    }
    if (request !== auditRequest) return;
    clear(host);
    if (!accesses.length) {
      host.append(emptyState(`No accesses to “${variable}” in this trace.`));
      return;
    }
    // An access is marked when the server flags it against its predecessor, or when it belongs to a race pair.
    const racePartners = new Map();
    for (const race of [...model.races.local, ...model.races.cross]) {
      if (race.variable !== variable) continue;
      for (const id of race.localEventIds) {
        if (!racePartners.has(id)) racePartners.set(id, []);
        racePartners.get(id).push(race);
      }
    }
    const racy = accesses.filter((a) => a.is_race || racePartners.has(String(a.event_id))).length;
    host.append(h('p', { class: 'muted' }, `${accesses.length} accesses in time order; ${racy} marked as racing.`));
    const startUs = toMicros(accesses[0].timestamp);
    host.append(h('table', { class: 'data-table compact audit-table', id: 'audit-table' },
      headRow(['#', 'time', 'service · thread', 'access', 'value', 'location', 'ordered after previous', 'race'], [0]),
      h('tbody', null, accesses.map((a, i) => {
        const id = String(a.event_id);
        const partners = racePartners.get(id) || [];
        const isRace = Boolean(a.is_race) || partners.length > 0;
        const write = /write|rmw/i.test(String(a.access_type));
        const tr = h('tr', {
          tabindex: '0', class: ['clickable', isRace && 'race-row'], dataset: { eventId: id, race: String(isRace) },
          'aria-label': `${a.access_type} by ${a.thread_id}${isRace ? ', racing access' : ''}`,
        },
          h('td', { class: 'num' }, String(i + 1)),
          h('td', { class: 'mono small', title: String(a.timestamp) }, formatTime(a.timestamp),
            i > 0 ? h('div', { class: 'muted' }, '+' + formatMs((toMicros(a.timestamp) - startUs) / 1000)) : null),
          h('td', { class: 'small' }, `${a.service_name ?? ''} · ${a.thread_id ?? ''}`),
          h('td', null, h('span', { class: `badge ${write ? 'badge-write' : 'badge-read'}` }, String(a.access_type))),
          h('td', { class: 'mono small' }, write && a.old_value !== undefined ? `${jsonText(a.old_value)} → ${jsonText(a.new_value)}` : jsonText(a.new_value)),
          h('td', { class: 'mono small' }, String(a.location ?? '')),
          h('td', null, i === 0 ? h('span', { class: 'muted' }, 'first access')
            : a.has_causal_link_to_previous ? h('span', { class: 'ok' }, '✓ yes') : h('span', { class: 'bad' }, '✗ no')),
          h('td', null, isRace ? h('span', { class: 'badge badge-critical race-mark' }, 'RACE') : ''));
        activatable(tr, () => select(id, true));
        return tr;
      }))));
  }

  function renderAnomalies(panel) {
    const list = model.bundle.anomalies || [];
    if (!list.length) {
      panel.append(emptyState('No latency anomalies (baselines need at least 5 samples of a kind).'));
      return;
    }
    panel.append(h('table', { class: 'data-table compact', id: 'anomaly-table' },
      headRow(['severity', 'event', 'actual', 'expected', 'σ', 'location'], [2, 3, 4]),
      h('tbody', null, list.map((a) => {
        const tr = h('tr', { tabindex: '0', class: 'clickable', dataset: { eventId: String(a.event_id) }, title: a.description || '' },
          h('td', null, h('span', { class: `badge ${a.severity === 'Critical' ? 'badge-critical' : a.severity === 'Warning' ? 'badge-warning' : 'badge-info'}` }, String(a.severity))),
          h('td', { class: 'mono small' }, String(a.event_kind ?? '')),
          h('td', { class: 'num' }, formatMs(a.actual_duration_ms)),
          h('td', { class: 'num' }, formatMs(a.expected_duration_ms)),
          h('td', { class: 'num' }, Number(a.std_dev_from_mean ?? 0).toFixed(1)),
          h('td', { class: 'mono small' }, String(a.location ?? '')));
        activatable(tr, () => select(String(a.event_id), true));
        return tr;
      }))));
  }

  function renderDependencies(panel) {
    const deps = model.bundle.dependencies;
    const services = (deps && deps.services) || model.services.map((name) => ({
      name, event_count: model.events.filter((e) => e.lane.service === name).length,
    }));
    const links = ((deps && deps.dependencies) || []).map((d) => ({ from: d.from, to: d.to, count: d.call_count }));
    panel.append(serviceGraph(services.map((s) => ({ name: s.name, detail: `${s.event_count} events` })), links,
      { ariaLabel: 'Services of this trace and the calls between them' }));
    if (!links.length) panel.append(h('p', { class: 'muted small' }, 'No cross-service calls in this trace.'));
    else {
      panel.append(h('table', { class: 'data-table compact' },
        headRow(['from', 'to', 'calls'], [2]),
        h('tbody', null, links.map((l) => h('tr', null, h('td', null, l.from), h('td', null, l.to), h('td', { class: 'num' }, String(l.count)))))));
    }
  }

  function renderDeadlocks(panel) {
    if (deadlocks === undefined) {
      panel.append(emptyState('This server does not offer lock-order (deadlock) analysis.'));
      return;
    }
    const list = deadlocks.deadlocks || [];
    if (!list.length) {
      panel.append(emptyState('No lock-order cycles: every thread takes its locks in a consistent order.'));
      return;
    }
    panel.append(h('ul', { class: 'race-list', id: 'deadlock-list' }, list.map((d) => h('li', { class: 'race-item' },
      h('div', { class: 'race-head' },
        h('span', { class: `badge ${/crit/i.test(d.severity) ? 'badge-critical' : 'badge-warning'}` }, String(d.severity ?? 'WARNING')),
        h('span', { class: 'mono' }, [...(d.locks || []), (d.locks || [])[0]].filter((x) => x !== undefined).join(' → '))),
      d.description ? h('p', { class: 'muted small' }, d.description) : null,
      (d.edges || []).length ? h('table', { class: 'mini-table' },
        h('thead', null, h('tr', null, ['holds', 'then takes', 'thread', 'where'].map((c) => h('th', null, c)))),
        h('tbody', null, d.edges.map((edge) => {
          const here = edge.event_id && model.byId.get(String(edge.event_id));
          return h('tr', null, h('td', { class: 'mono' }, String(edge.held_lock)), h('td', { class: 'mono' }, String(edge.acquired_lock)),
            h('td', null, String(edge.thread_id ?? '')),
            h('td', null, here ? h('button', { type: 'button', class: 'linklike', onclick: () => select(here.id, true) }, String(edge.location ?? 'event'))
              : edge.trace_id && edge.trace_id !== model.traceId
                ? h('a', { href: hashLink(['trace', edge.trace_id], { event: edge.event_id }) }, `${edge.location ?? ''} (trace ${shortId(edge.trace_id)})`)
                : String(edge.location ?? '')));
        }))) : null))));
  }

  // ---- selection ----

  function select(id, fromList = false) {
    state.selectedId = id;
    // The Events tab shows the page of the selected event.
    const entry = model && model.byId.get(id);
    if (entry && state.tab === 'events' && !fromList) {
      const page = Math.floor(model.events.indexOf(entry) / EVENT_PAGE);
      if (page !== state.eventPage) {
        state.eventPage = page;
        renderTabs();
      }
    }
    replaceQuery({ event: id });
    renderDetails();
    if (timeline) timeline.select(id);
    for (const row of tabPanel.querySelectorAll('.selected-row')) row.classList.remove('selected-row');
    for (const row of tabPanel.querySelectorAll(`[data-event-id="${CSS.escape(id)}"]`)) row.classList.add('selected-row');
    if (fromList) timelineHost.scrollIntoView({ block: 'nearest' });
  }

  function renderDetails() {
    clear(detailsHost).append(h('h2', { class: 'sr-only' }, 'Event details'),
      eventDetails(model, state.selectedId, { onSelect: (id) => select(id) }));
  }

  function exportJson() {
    if (!model) return;
    const blob = new Blob([JSON.stringify(model.bundle, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `raceway-trace-${state.traceId}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  load();

  return {
    el,
    update(next) {
      if ((next.parts[1] || '') !== state.traceId) return false;
      applyRoute(next);
      if (model) {
        renderTabs();
        if (next.query.get('event')) select(next.query.get('event'));
      }
      return true;
    },
    destroy() {
      clearTimeout(timer);
      resizeObserver.disconnect();
      auditRequest++;
    },
  };
}

function variablesOf(model) {
  const byName = new Map();
  for (const e of model.events) {
    if (kindName(e.event) !== 'StateChange') continue;
    const p = kindPayload(e.event);
    const name = String(p.variable);
    let v = byName.get(name);
    if (!v) byName.set(name, (v = { name, accesses: 0, writes: 0, threadSet: new Set(), races: 0 }));
    v.accesses++;
    if (/write|rmw/i.test(String(p.access_type))) v.writes++;
    v.threadSet.add(e.lane.key);
  }
  for (const name of Object.keys(model.bundle.audit_trails || {})) {
    if (!byName.has(name)) byName.set(name, { name, accesses: (model.bundle.audit_trails[name] || []).length, writes: 0, threadSet: new Set(), races: 0 });
  }
  for (const race of [...model.races.local, ...model.races.cross]) {
    const v = byName.get(String(race.variable));
    if (v) v.races++;
  }
  return [...byName.values()].map((v) => ({ ...v, threads: v.threadSet.size }))
    .sort((a, b) => (b.races - a.races) || a.name.localeCompare(b.name));
}
