// The details panel for one event: kind fields, metadata, tags, clock vector, lock set, races.
import { h, hashLink } from './dom.js';
import { kindName, kindPayload, eventLabel, formatDateTime, formatMs, durationMs, shortId, prettyJson } from './format.js';

export function eventDetails(model, eventId, { onSelect }) {
  const entry = model.byId.get(eventId);
  if (!entry) {
    return h('div', { class: 'details-empty' },
      h('p', null, 'Select an event on the timeline or in a list to see its details.'),
      h('p', { class: 'muted small' }, 'Tip: Tab moves between events, Enter opens one.'));
  }
  const event = entry.event;
  const md = event.metadata || {};
  const name = kindName(event);
  const payload = kindPayload(event);
  const races = model.raceByEvent.get(eventId) || [];
  const parent = event.parent_id ? model.byId.get(String(event.parent_id)) : undefined;

  const kindRows = Object.entries(payload).map(([k, v]) => [k, valueNode(v)]);
  const metaRows = [
    ['service', md.service_name],
    ['thread', md.thread_id],
    ['process', md.process_id],
    ['environment', md.environment],
    ['instance', md.instance_id],
    ['span', md.distributed_span_id],
    ['upstream span', md.upstream_span_id],
    ['duration', durationMs(event) !== undefined ? formatMs(durationMs(event)) : undefined],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const tags = Object.entries(md.tags || {});
  const clock = Array.isArray(event.causality_vector) ? event.causality_vector : [];
  const locks = Array.isArray(event.lock_set) ? event.lock_set : [];

  return h('div', { class: 'details', 'data-event-id': eventId },
    h('h3', null, h('span', { class: `kind-pill fam-bg-${name}` }, name), ' ', eventLabel(event)),
    h('dl', { class: 'kv' },
      h('dt', null, 'id'), h('dd', { class: 'mono' }, String(event.id)),
      h('dt', null, 'time'), h('dd', null, formatDateTime(event.timestamp), h('div', { class: 'muted small mono' }, String(event.timestamp))),
      h('dt', null, 'parent'), h('dd', { class: 'mono' }, parent
        ? h('button', { type: 'button', class: 'linklike', onclick: () => onSelect(parent.id) }, shortId(parent.id) + ' · ' + eventLabel(parent.event))
        : event.parent_id ? h('span', { title: String(event.parent_id) }, shortId(event.parent_id) + ' (not in this trace)') : 'none (root)'),
      model.criticalSet.has(eventId) ? [h('dt', null, 'critical path'), h('dd', null, h('span', { class: 'badge badge-crit' }, 'on the critical path'))] : null),
    races.length ? h('section', { class: 'details-races' },
      h('h4', null, 'Races'),
      h('ul', null, races.map((race) => h('li', null, raceLine(model, race, eventId, onSelect))))) : null,
    name === 'StateChange' && payload.variable !== undefined ? h('p', null,
      h('a', { href: hashLink(['trace', model.traceId, 'audit', String(payload.variable)]), class: 'audit-link' },
        `Audit trail of ${payload.variable} →`)) : null,
    section('Kind fields', table(kindRows)),
    section('Metadata', table(metaRows.map(([k, v]) => [k, String(v)]))),
    tags.length ? section('Tags', table(tags.map(([k, v]) => [k, String(v)]))) : null,
    section('Clock vector', clock.length
      ? h('table', { class: 'mini-table' }, h('thead', null, h('tr', null, h('th', null, 'component'), h('th', { class: 'num' }, 'value'))),
        h('tbody', null, clock.map((c) => h('tr', null, h('td', { class: 'mono' }, String(Array.isArray(c) ? c[0] : c.component ?? c)),
          h('td', { class: 'num mono' }, String(Array.isArray(c) ? c[1] : c.value ?? ''))))))
      : h('p', { class: 'muted small' }, 'empty')),
    section('Lock set', locks.length ? h('div', null, locks.map((l) => h('span', { class: 'chip mono' }, String(l))))
      : h('p', { class: 'muted small' }, 'no locks held')));
}

function raceLine(model, race, eventId, onSelect) {
  const sev = h('span', { class: `badge ${race.severity === 'CRITICAL' ? 'badge-critical' : 'badge-warning'}` }, race.severity);
  if (race.kind === 'cross') {
    const other = race.sides[1 - race.mine];
    return h('span', null, sev, ` with trace ${shortId(race.otherTraceId)} (thread ${other.thread ?? '?'}) on `,
      h('code', null, String(race.variable)), ' ',
      race.otherTraceId ? h('a', { href: hashLink(['trace', race.otherTraceId], { event: race.otherEventId }) }, 'open other trace →') : null);
  }
  const otherId = race.localEventIds.find((id) => id !== eventId);
  const other = otherId && model.byId.get(otherId);
  return h('span', null, sev, ' on ', h('code', null, String(race.variable)), ' with ',
    other ? h('button', { type: 'button', class: 'linklike', onclick: () => onSelect(other.id) },
      `${eventLabel(other.event)} (${other.lane.thread})`) : 'an event not shown');
}

function section(title, body) {
  return h('section', { class: 'details-section' }, h('h4', null, title), body);
}

function table(rows) {
  if (!rows.length) return h('p', { class: 'muted small' }, 'none');
  return h('table', { class: 'mini-table kv-table' }, h('tbody', null,
    rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))));
}

function valueNode(v) {
  if (v === null) return h('code', { class: 'muted' }, 'null');
  if (typeof v === 'object') return h('pre', { class: 'json' }, prettyJson(v));
  if (typeof v === 'string') return h('span', { class: 'mono' }, v);
  return h('code', null, JSON.stringify(v));
}
