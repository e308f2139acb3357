// The trace timeline: one lane per service/thread, events placed by time, parent and cross-service
// edges, races and the critical path highlighted. Pure SVG built through the DOM API.
import { s, h, clear } from './dom.js';
import { eventLabel, kindName, kindFamily, formatMs, formatTime } from './format.js';
import { worstSeverity } from './model.js';

const LABEL_W = 210;
const LANE_H = 36;
const AXIS_H = 26;
const PAD_R = 72;
const R = 6;

export function renderTimeline(host, model, { zoom = 1, selectedId, onSelect }) {
  const available = Math.max((host.clientWidth || 1100) - 16, 600); // slack for a vertical scrollbar appearing later
  const plotW = Math.max(available - LABEL_W - PAD_R, 360) * zoom;
  const span = Math.max(model.endUs - model.startUs, 1);
  const xOf = (us) => LABEL_W + ((us - model.startUs) / span) * plotW;

  // Place markers exactly at their time: never moved, even when two of a lane overlap (the Events tab lists both).
  const pos = new Map();
  for (const lane of model.lanes) {
    for (const e of lane.events) {
      const raw = Number.isFinite(e.us) ? xOf(e.us) : LABEL_W;
      const x = raw;
      // The marker sits at the timestamp; a duration bar reaches back to where the measured work began.
      const barX = Number.isFinite(e.us) ? xOf(e.fromUs) : LABEL_W;
      pos.set(e.id, { x, y: AXIS_H + lane.index * LANE_H + LANE_H / 2, barX, w: Math.max(0, raw - barX) });
    }
  }
  let maxX = LABEL_W + plotW;
  for (const p of pos.values()) maxX = Math.max(maxX, p.x);
  const width = Math.ceil(maxX + PAD_R);
  const height = AXIS_H + model.lanes.length * LANE_H + 8;

  const svg = s('svg', {
    class: 'timeline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Timeline: ${model.events.length} events in ${model.lanes.length} lanes`,
  });
  svg.append(s('defs', null,
    arrow('arrow-parent', 'edge-parent-head'),
    arrow('arrow-cross', 'edge-cross-head'),
    arrow('arrow-crit', 'edge-crit-head')));

  // Lanes and their labels.
  const lanesG = s('g', { class: 'lanes' });
  let lastService;
  for (const lane of model.lanes) {
    const y = AXIS_H + lane.index * LANE_H;
    const serviceIdx = model.services.indexOf(lane.service);
    lanesG.append(s('rect', { class: `lane-bg ${lane.index % 2 ? 'odd' : 'even'}`, x: 0, y, width, height: LANE_H }));
    lanesG.append(s('rect', { class: `lane-stripe svc-${serviceIdx % 6}`, x: 0, y, width: 4, height: LANE_H }));
    const newService = lane.service !== lastService;
    lastService = lane.service;
    lanesG.append(s('text', { class: 'lane-service', x: 12, y: y + 15 }, clip(lane.service, 26),
      s('title', null, lane.service)));
    lanesG.append(s('text', { class: 'lane-thread', x: 12, y: y + 29 }, clip(lane.thread, 30),
      s('title', null, lane.thread)));
    if (newService && lane.index > 0) lanesG.append(s('line', { class: 'service-sep', x1: 0, x2: width, y1: y, y2: y }));
  }
  lanesG.append(s('line', { class: 'label-sep', x1: LABEL_W - 8, x2: LABEL_W - 8, y1: 0, y2: height }));
  svg.append(lanesG);

  svg.append(axis(model, plotW, height, xOf));

  // Duration bars, then edges, then markers: a critical-path edge stays visible over the bars it runs along.
  const barsG = s('g', { class: 'durations' });
  for (const e of model.events) {
    const p = pos.get(e.id);
    if (p && p.w >= 2) {
      barsG.append(s('rect', { class: `ev-dur fam-${kindFamily(e.event)}${model.criticalSet.has(e.id) ? ' crit' : ''}`,
        x: p.barX.toFixed(1), y: p.y - 4, width: p.w.toFixed(1), height: 8, rx: 2, 'data-event-id': e.id }));
    }
  }
  svg.append(barsG);

  const edgesG = s('g', { class: 'edges' });
  const critPairs = new Set();
  for (let i = 1; i < model.criticalIds.length; i++) critPairs.add(model.criticalIds[i - 1] + '>' + model.criticalIds[i]);
  const drawn = new Set();
  for (const edge of model.edges) {
    const a = pos.get(edge.from.id);
    const b = pos.get(edge.to.id);
    if (!a || !b) continue;
    const crit = critPairs.has(edge.from.id + '>' + edge.to.id);
    drawn.add(edge.from.id + '>' + edge.to.id);
    const cls = crit ? 'edge edge-crit' : edge.type === 'cross' ? 'edge edge-cross' : 'edge edge-parent';
    const marker = crit ? 'arrow-crit' : edge.type === 'cross' ? 'arrow-cross' : (a.y !== b.y ? 'arrow-parent' : undefined);
    edgesG.append(s('path', { class: cls, d: curve(a, b), 'marker-end': marker ? `url(#${marker})` : undefined }));
  }
  // Critical-path steps that are not parent links still read as one highlighted path.
  for (let i = 1; i < model.criticalIds.length; i++) {
    const from = model.criticalIds[i - 1];
    const to = model.criticalIds[i];
    if (drawn.has(from + '>' + to)) continue;
    const a = pos.get(from);
    const b = pos.get(to);
    if (a && b) edgesG.append(s('path', { class: 'edge edge-crit', d: curve(a, b), 'marker-end': 'url(#arrow-crit)' }));
  }
  for (const race of model.races.local) {
    const [id1, id2] = race.localEventIds;
    const a = pos.get(id1);
    const b = pos.get(id2);
    if (a && b) edgesG.append(s('path', { class: 'edge edge-race', d: `M${a.x},${a.y} L${b.x},${b.y}` },
      s('title', null, `${race.severity} race on ${race.variable}`)));
  }
  svg.append(edgesG);

  // Event markers.
  const eventsG = s('g', { class: 'events' });
  for (const lane of model.lanes) {
    lane.events.forEach((e, i) => {
      const p = pos.get(e.id);
      const races = model.raceByEvent.get(e.id) || [];
      const worst = worstSeverity(races);
      const crit = model.criticalSet.has(e.id);
      const label = eventLabel(e.event);
      const classes = ['ev', `fam-${kindFamily(e.event)}`];
      if (races.length) classes.push('race', worst === 'CRITICAL' ? 'race-critical' : 'race-warning');
      if (crit) classes.push('crit');
      if (e.id === selectedId) classes.push('selected');
      const aria = `${kindName(e.event)} ${label}, ${lane.service} ${lane.thread}, at ${formatTime(e.event.timestamp)}`
        + (races.length ? `, ${races.length} race${races.length > 1 ? 's' : ''}` : '') + (crit ? ', on the critical path' : '');
      const g = s('g', {
        class: classes.join(' '), transform: `translate(${p.x.toFixed(1)},${p.y})`, tabindex: '0', role: 'button',
        'aria-label': aria, 'data-event-id': e.id,
      });
      g.append(s('title', null, `${kindName(e.event)}: ${label}\n${lane.service} · ${lane.thread}\n${formatTime(e.event.timestamp)}`
        + (e.durUs ? ` · ${formatMs(e.durUs / 1000)}` : '') + (races.length ? `\n${races.length} race(s)` : '') + (crit ? '\ncritical path' : '')));
      if (crit) g.append(s('circle', { class: 'ev-crit-halo', r: R + 4 }));
      if (races.length) g.append(s('circle', { class: 'ev-race-ring', r: R + 5 }));
      g.append(s('circle', { class: 'ev-dot', r: R }));
      g.append(s('circle', { class: 'ev-focus', r: R + 8 }));
      // A text label when the lane has room before the next marker.
      const next = lane.events[i + 1];
      const room = (next ? pos.get(next.id).x : width - 4) - p.x - 14;
      const text = fit(races.length ? `⚠ ${label}` : label, room);
      if (text) g.append(s('text', { class: 'ev-label', x: 10, y: -9 }, text));
      activate(g, () => onSelect(e.id));
      eventsG.append(g);
    });
  }
  svg.append(eventsG);

  clear(host).append(svg);
  return {
    select(id) {
      for (const g of svg.querySelectorAll('.ev.selected')) g.classList.remove('selected');
      const g = id && svg.querySelector(`.ev[data-event-id="${CSS.escape(id)}"]`);
      if (g) {
        g.classList.add('selected');
        const p = pos.get(id);
        const left = p.x - host.clientWidth / 2;
        if (p.x < host.scrollLeft + LABEL_W || p.x > host.scrollLeft + host.clientWidth - 40) host.scrollTo({ left: Math.max(0, left) });
      }
      return g;
    },
    focus(id) {
      const g = svg.querySelector(`.ev[data-event-id="${CSS.escape(id)}"]`);
      if (g) g.focus({ preventScroll: false });
    },
  };
}

function activate(g, action) {
  g.addEventListener('click', action);
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  });
}

function arrow(id, cls) {
  // User-space units keep the head the same size whatever the edge's stroke width; refX stops it at the marker's rim.
  return s('marker', { id, viewBox: '0 0 10 10', refX: 10 + (R + 3) * 10 / 8, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto' },
    s('path', { class: cls, d: 'M0,0 L10,5 L0,10 z' }));
}

function curve(a, b) {
  if (a.y === b.y) return `M${a.x.toFixed(1)},${a.y} L${b.x.toFixed(1)},${b.y}`;
  const dx = Math.max(Math.abs(b.x - a.x) / 2, 18);
  return `M${a.x.toFixed(1)},${a.y} C${(a.x + dx).toFixed(1)},${a.y} ${(b.x - dx).toFixed(1)},${b.y} ${b.x.toFixed(1)},${b.y}`;
}

function axis(model, plotW, height, xOf) {
  const g = s('g', { class: 'axis' });
  const span = Math.max(model.endUs - model.startUs, 1);
  const target = Math.max(2, Math.floor(plotW / 110));
  const raw = span / target;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw) || raw;
  for (let t = 0; t <= span + 1e-9; t += step) {
    const x = xOf(model.startUs + t);
    g.append(s('line', { class: 'tick', x1: x, x2: x, y1: AXIS_H - 6, y2: height }));
    if (x > LABEL_W + plotW - 30 && t > 0) continue; // no room for a label at the right edge
    g.append(s('text', { class: 'tick-label', x: x + 3, y: AXIS_H - 10 }, t === 0 ? '0' : '+' + tickLabel(t / 1000)));
  }
  g.append(s('text', { class: 'axis-title', x: 12, y: AXIS_H - 10 }, 'service · thread'));
  return g;
}

function tickLabel(ms) {
  if (ms >= 1000) return `${+(ms / 1000).toFixed(3)} s`;
  if (ms >= 1) return `${+ms.toFixed(3)} ms`;
  return `${+(ms * 1000).toFixed(3)} µs`;
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

function fit(text, room) {
  const n = Math.floor(room / 6.4);
  if (n < 4) return '';
  return clip(text, n);
}

export function legend() {
  const item = (cls, text) => h('span', { class: 'legend-item' }, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h('div', { class: 'legend', 'aria-label': 'Legend' },
    item('fam-call', 'call'), item('fam-read', 'read'), item('fam-write', 'write'), item('fam-lock', 'lock'),
    item('fam-http', 'HTTP'), item('fam-db', 'DB'), item('fam-error', 'error'),
    item('sw-race', 'race'), item('sw-crit', 'critical path'), item('sw-cross', 'cross-service call'));
}
