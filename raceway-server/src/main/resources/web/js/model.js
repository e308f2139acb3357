// Turns a trace bundle (GET /api/traces/:id) into what the trace view draws: events in time order,
// lanes, race pairs with their event ids, critical path, cross-service edges.
import { toMicros, kindName, kindPayload, durationMs, laneKey, debugValuesAsJson } from './format.js';

export function buildModel(traceId, bundle) {
  const events = (bundle.events || []).map((event, index) => ({
    event,
    id: String(event.id),
    index,
    us: toMicros(event.timestamp),
    durUs: (durationMs(event) || 0) * 1000,
  }));
  events.sort((a, b) => (a.us - b.us) || (a.index - b.index));
  const byId = new Map(events.map((e) => [e.id, e]));

  // An event with a duration is recorded when what it measures ends: it occupies [timestamp − duration, timestamp].
  for (const e of events) e.fromUs = e.us - e.durUs;
  let firstUs = Infinity;
  let lastUs = -Infinity;
  for (const e of events) {
    if (!Number.isFinite(e.us)) continue;
    if (e.fromUs < firstUs) firstUs = e.fromUs;
    if (e.us > lastUs) lastUs = e.us;
  }
  const startUs = Number.isFinite(firstUs) ? firstUs : 0;
  const endUs = Number.isFinite(lastUs) ? lastUs : startUs;

  // One lane per (service, thread), grouped by service in order of first appearance.
  const lanes = [];
  const laneByKey = new Map();
  for (const e of events) {
    const key = laneKey(e.event);
    let lane = laneByKey.get(key);
    if (!lane) {
      const md = e.event.metadata || {};
      lane = { key, service: String(md.service_name ?? '?'), thread: String(md.thread_id ?? '?'), events: [], firstUs: e.us };
      laneByKey.set(key, lane);
      lanes.push(lane);
    }
    lane.events.push(e);
    e.lane = lane;
  }
  const serviceOrder = [];
  for (const lane of lanes) if (!serviceOrder.includes(lane.service)) serviceOrder.push(lane.service);
  lanes.sort((a, b) => (serviceOrder.indexOf(a.service) - serviceOrder.indexOf(b.service)) || (a.firstUs - b.firstUs));
  lanes.forEach((lane, i) => { lane.index = i; });

  const races = normalizeRaces(traceId, bundle, events);
  const raceByEvent = new Map(); // event id -> [race]
  for (const race of [...races.local, ...races.cross]) {
    for (const id of race.localEventIds) {
      if (!raceByEvent.has(id)) raceByEvent.set(id, []);
      raceByEvent.get(id).push(race);
    }
  }

  const critical = bundle.critical_path || null;
  const criticalIds = critical && Array.isArray(critical.path) ? critical.path.map((p) => String(p.id)) : [];

  return {
    traceId,
    bundle,
    events,
    byId,
    lanes,
    services: serviceOrder,
    startUs,
    endUs,
    races,
    raceByEvent,
    critical,
    criticalIds,
    criticalSet: new Set(criticalIds),
    edges: buildEdges(events, byId),
  };
}

function severityRank(sev) {
  return { CRITICAL: 3, Critical: 3, WARNING: 2, Warning: 2, INFO: 1, Minor: 1 }[sev] || 0;
}

export function worstSeverity(races) {
  let worst;
  for (const r of races) if (!worst || severityRank(r.severity) > severityRank(worst)) worst = r.severity;
  return worst;
}

/** Finds a StateChange event of this trace matching a race side when the server gave no event id. */
function matchEvent(events, variable, thread, location, used) {
  const candidates = events.filter((e) => kindName(e.event) === 'StateChange'
    && kindPayload(e.event).variable === variable
    && (thread === undefined || String(e.event.metadata?.thread_id) === String(thread))
    && (location === undefined || kindPayload(e.event).location === location));
  return (candidates.find((e) => !used.has(e.id)) || candidates[0])?.id;
}

function normalizeRaces(traceId, bundle, events) {
  const analysis = bundle.analysis || {};
  const idSet = new Set(events.map((e) => e.id));
  const local = (analysis.race_details || []).map((r, i) => {
    const used = new Set();
    const e1 = r.event1_id ? String(r.event1_id) : matchEvent(events, r.variable, r.event1_thread, r.event1_location, used);
    if (e1) used.add(e1);
    const e2 = r.event2_id ? String(r.event2_id) : matchEvent(events, r.variable, r.event2_thread, r.event2_location, used);
    return {
      kind: 'local',
      key: `local-${i}`,
      severity: r.severity || 'WARNING',
      variable: r.variable,
      description: debugValuesAsJson(r.description || ''),
      sides: [
        { eventId: e1, thread: r.event1_thread, location: r.event1_location, traceId },
        { eventId: e2, thread: r.event2_thread, location: r.event2_location, traceId },
      ],
      localEventIds: [e1, e2].filter((id) => id && idSet.has(id)),
    };
  });

  const crossList = crossTraceRaceList(bundle);
  const cross = crossList.map((r, i) => {
    const sides = [
      { eventId: r.event1_id && String(r.event1_id), thread: r.event1_thread, location: r.event1_location, traceId: r.trace1_id, timestamp: r.event1_timestamp },
      { eventId: r.event2_id && String(r.event2_id), thread: r.event2_thread, location: r.event2_location, traceId: r.trace2_id, timestamp: r.event2_timestamp },
    ];
    // Which side is ours: by trace id, else by event id membership.
    let mine = sides.findIndex((s) => s.traceId && String(s.traceId).toLowerCase() === String(traceId).toLowerCase());
    if (mine < 0) mine = sides.findIndex((s) => s.eventId && idSet.has(s.eventId));
    if (mine < 0) mine = 0;
    const other = sides[1 - mine];
    const otherTraceId = r.other_trace_id || other.traceId;
    const myId = sides[mine].eventId || matchEvent(events, r.variable, sides[mine].thread, sides[mine].location, new Set());
    sides[mine].eventId = myId;
    return {
      kind: 'cross',
      key: `cross-${i}`,
      severity: r.severity || 'WARNING',
      variable: r.variable,
      description: debugValuesAsJson(r.description || ''),
      sides,
      mine,
      otherTraceId: otherTraceId ? String(otherTraceId) : undefined,
      otherEventId: other.eventId,
      localEventIds: myId && idSet.has(myId) ? [myId] : [],
    };
  });
  return { local, cross };
}

/**
 * The cross-trace races of a bundle: a list, or an object {total, race_details | races}; undefined when the
 * server does not report them at all.
 */
export function crossTraceRaceList(bundle) {
  const cross = bundle && bundle.cross_trace_races;
  if (cross === undefined || cross === null) return [];
  if (Array.isArray(cross)) return cross;
  if (Array.isArray(cross.race_details)) return cross.race_details;
  if (Array.isArray(cross.races)) return cross.races;
  return [];
}

/** The number of cross-trace race pairs (may exceed the listed details). */
export function crossTraceRaceCount(bundle) {
  const cross = bundle && bundle.cross_trace_races;
  if (cross && !Array.isArray(cross) && typeof cross.total === 'number') return cross.total;
  return crossTraceRaceList(bundle).length;
}

function buildEdges(events, byId) {
  const edges = [];
  for (const e of events) {
    const parentId = e.event.parent_id;
    if (!parentId) continue;
    const parent = byId.get(String(parentId));
    if (!parent) continue;
    const cross = parent.lane.service !== e.lane.service;
    edges.push({ from: parent, to: e, type: cross ? 'cross' : 'parent' });
  }
  // Distributed span links: a span with an upstream span is called from it (HTTP, queue, ...).
  const bySpan = new Map();
  for (const e of events) {
    const span = e.event.metadata?.distributed_span_id;
    if (!span) continue;
    if (!bySpan.has(span)) bySpan.set(span, []);
    bySpan.get(span).push(e);
  }
  const hasParentEdge = new Set(edges.map((x) => x.to.id));
  for (const [, spanEvents] of bySpan) {
    const target = spanEvents.find((e) => e.event.metadata?.upstream_span_id);
    if (!target || hasParentEdge.has(target.id)) continue;
    const upstream = bySpan.get(target.event.metadata.upstream_span_id);
    if (!upstream || !upstream.length) continue;
    const before = upstream.filter((u) => u.us <= target.us && u.lane.service !== target.lane.service);
    const source = before.length ? before[before.length - 1] : upstream.find((u) => u.lane.service !== target.lane.service);
    if (source) edges.push({ from: source, to: target, type: 'cross' });
  }
  return edges;
}
