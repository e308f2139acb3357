// The timeline of big traces, drawn on a canvas: only what is in view is drawn, so the cost of a frame follows the
// events on screen, not the trace's size. Every event sits exactly at its time (no nudging); a duration bar reaches
// back from its marker to where the measured work began. Keyboard users reach events through the Events tab; a click
// on the canvas selects the nearest event of the lane under the pointer.
import { h, clear } from './dom.js';
import { kindFamily, eventLabel, kindName, formatTime, formatMs } from './format.js';

const LABEL_W = 210;
const LANE_H = 22;
const AXIS_H = 24;
const R = 3.5;
const FAMILIES = ['call', 'read', 'write', 'lock', 'http', 'db', 'error', 'other'];

export function renderCanvasTimeline(host, model, { zoom = 1, selectedId, onSelect }) {
  const started = performance.now();
  const viewW = Math.max((host.clientWidth || 1100) - 16, 600);
  const plotW = Math.max(viewW - LABEL_W - 24, 360) * zoom;
  const totalW = LABEL_W + plotW + 24;
  const height = AXIS_H + model.lanes.length * LANE_H + 6;
  const span = Math.max(model.endUs - model.startUs, 1);
  const usPerPx = span / plotW;

  // Per lane: its events' times in typed arrays (sorted by timestamp) and the longest duration, for range queries.
  const lanes = model.lanes.map((lane) => {
    const n = lane.events.length;
    const end = new Float64Array(n);
    const from = new Float64Array(n);
    let maxDur = 0;
    lane.events.forEach((e, i) => {
      end[i] = e.us;
      from[i] = e.fromUs;
      if (e.durUs > maxDur) maxDur = e.durUs;
    });
    return { lane, end, from, maxDur };
  });
  const styles = getComputedStyle(document.documentElement);
  const color = (name, fallback) => (styles.getPropertyValue(name) || fallback).trim() || fallback;
  const palette = Object.fromEntries(FAMILIES.map((f) => [f, color(`--fam-${f}`, '#888')]));
  const familyOf = new Map();
  for (const e of model.events) familyOf.set(e.id, kindFamily(e.event));
  const colors = {
    text: color('--text', '#222'), muted: color('--muted', '#666'), border: color('--border', '#ccc'),
    surface: color('--surface', '#fff'), surface2: color('--surface-2', '#f3f4f6'), race: color('--race', '#d1242f'),
    crit: color('--crit', '#e8890c'), focus: color('--focus', '#2f5fdb'),
  };

  const canvas = h('canvas', { class: 'timeline-canvas', role: 'img',
    'aria-label': `Timeline: ${model.events.length} events in ${model.lanes.length} lanes (select events in the Events tab)` });
  // The spacer gives the scroller the full width; the canvas stays in view (sticky) and draws what is scrolled to.
  const spacer = h('div', { class: 'timeline-spacer', style: { width: `${totalW}px` } });
  const scroller = h('div', { class: 'timeline-scroller' }, canvas, spacer);
  clear(host).append(scroller);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(viewW * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${viewW}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');

  let selected = selectedId;
  let frame = 0;
  const xOf = (us, left) => LABEL_W + (us - model.startUs) / usPerPx - left;

  function draw() {
    frame = 0;
    const t0 = performance.now();
    const left = scroller.scrollLeft;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, viewW, height);
    const fromUs = model.startUs + (left - 8) * usPerPx;
    const toUs = model.startUs + (left + viewW - LABEL_W + 8) * usPerPx;

    // Lane backgrounds.
    lanes.forEach((l, i) => {
      g.fillStyle = i % 2 ? colors.surface2 : colors.surface;
      g.fillRect(0, AXIS_H + i * LANE_H, viewW, LANE_H);
    });
    axis(left);

    g.save();
    g.beginPath();
    g.rect(LABEL_W, 0, viewW - LABEL_W, height);
    g.clip();
    lanes.forEach((l, i) => {
      const y = AXIS_H + i * LANE_H + LANE_H / 2;
      const first = lowerBound(l.end, fromUs);
      // Bars first: an event ending after the view may still start inside it.
      for (let j = first; j < l.end.length && l.end[j] - l.maxDur <= toUs; j++) {
        if (l.from[j] > toUs || l.end[j] === l.from[j]) continue;
        const e = l.lane.events[j];
        const x1 = xOf(l.from[j], left);
        const x2 = xOf(l.end[j], left);
        if (x2 - x1 < 1.5) continue;
        g.fillStyle = palette[familyOf.get(e.id)] || palette.other;
        g.globalAlpha = model.criticalSet.has(e.id) ? 0.75 : 0.35;
        g.fillRect(x1, y - 3, x2 - x1, 6);
      }
      g.globalAlpha = 1;
      // Markers: one per pixel column and family (a column holds at most what the eye can tell apart).
      let lastX = -1;
      let lastFamily = '';
      for (let j = first; j < l.end.length && l.end[j] <= toUs; j++) {
        const e = l.lane.events[j];
        const x = xOf(l.end[j], left);
        const family = familyOf.get(e.id);
        const race = model.raceByEvent.has(e.id);
        const crit = model.criticalSet.has(e.id);
        if (Math.round(x) === lastX && family === lastFamily && !race && !crit && e.id !== selected) continue;
        lastX = Math.round(x);
        lastFamily = family;
        g.fillStyle = palette[family] || palette.other;
        g.beginPath();
        g.arc(x, y, R, 0, 2 * Math.PI);
        g.fill();
        if (crit || race) {
          g.strokeStyle = race ? colors.race : colors.crit;
          g.lineWidth = 2;
          g.beginPath();
          g.arc(x, y, R + 2.5, 0, 2 * Math.PI);
          g.stroke();
        }
      }
    });
    criticalPath(left);
    if (selected) {
      const p = position(selected, left);
      if (p) {
        g.strokeStyle = colors.focus;
        g.lineWidth = 2;
        g.beginPath();
        g.arc(p.x, p.y, R + 6, 0, 2 * Math.PI);
        g.stroke();
      }
    }
    g.restore();
    labels();
    host.dataset.drawMs = (performance.now() - t0).toFixed(1);
  }

  function criticalPath(left) {
    if (model.criticalIds.length < 2) return;
    g.strokeStyle = colors.crit;
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    for (const id of model.criticalIds) {
      const p = position(id, left);
      if (!p) continue;
      if (started) g.lineTo(p.x, p.y);
      else g.moveTo(p.x, p.y);
      started = true;
    }
    g.stroke();
  }

  function labels() {
    g.fillStyle = colors.surface;
    g.fillRect(0, 0, LABEL_W - 8, height);
    g.fillStyle = colors.muted;
    g.font = '11px system-ui, sans-serif';
    g.fillText('service · thread', 12, AXIS_H - 9);
    lanes.forEach((l, i) => {
      const y = AXIS_H + i * LANE_H;
      g.fillStyle = colors.text;
      g.font = '12px system-ui, sans-serif';
      g.fillText(clip(`${l.lane.service} · ${l.lane.thread}`, 30), 12, y + 15);
    });
    g.strokeStyle = colors.border;
    g.beginPath();
    g.moveTo(LABEL_W - 8, 0);
    g.lineTo(LABEL_W - 8, height);
    g.stroke();
  }

  function axis(left) {
    const visibleUs = (viewW - LABEL_W) * usPerPx;
    const raw = visibleUs / Math.max(2, Math.floor((viewW - LABEL_W) / 110));
    const pow = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw) || raw;
    const firstTick = Math.ceil(((left) * usPerPx) / step) * step;
    g.strokeStyle = colors.border;
    g.fillStyle = colors.muted;
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    for (let t = firstTick; t <= (left + viewW) * usPerPx; t += step) {
      const x = LABEL_W + t / usPerPx - left;
      if (x < LABEL_W) continue;
      g.beginPath();
      g.moveTo(x, AXIS_H - 6);
      g.lineTo(x, height);
      g.stroke();
      g.fillText(t === 0 ? '0' : '+' + formatMs(t / 1000), x + 3, AXIS_H - 9);
    }
  }

  function position(id, left) {
    const e = model.byId.get(id);
    if (!e || !e.lane) return null;
    return { x: xOf(e.us, left), y: AXIS_H + e.lane.index * LANE_H + LANE_H / 2 };
  }

  function redraw() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  scroller.addEventListener('scroll', redraw, { passive: true });
  canvas.addEventListener('click', (ev) => {
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const y = ev.clientY - rect.top;
    const laneIndex = Math.floor((y - AXIS_H) / LANE_H);
    const l = lanes.find((c) => c.lane.index === laneIndex);
    if (!l || x < LABEL_W || !l.end.length) return;
    const us = model.startUs + (x - LABEL_W + scroller.scrollLeft) * usPerPx;
    let j = lowerBound(l.end, us);
    if (j >= l.end.length || (j > 0 && us - l.end[j - 1] < l.end[j] - us)) j -= 1;
    if (Math.abs(l.end[j] - us) / usPerPx <= 8) onSelect(l.lane.events[j].id);
  });
  canvas.addEventListener('mousemove', (ev) => {
    const rect = canvas.getBoundingClientRect();
    const laneIndex = Math.floor((ev.clientY - rect.top - AXIS_H) / LANE_H);
    const l = lanes.find((c) => c.lane.index === laneIndex);
    if (!l || !l.end.length) return;
    const us = model.startUs + (ev.clientX - rect.left - LABEL_W + scroller.scrollLeft) * usPerPx;
    let j = Math.min(lowerBound(l.end, us), l.end.length - 1);
    if (j > 0 && us - l.end[j - 1] < l.end[j] - us) j -= 1;
    const e = l.lane.events[j];
    canvas.title = Math.abs(l.end[j] - us) / usPerPx <= 8
      ? `${kindName(e.event)}: ${eventLabel(e.event)}\n${l.lane.service} · ${l.lane.thread}\n${formatTime(e.event.timestamp)}`
        + (e.durUs ? ` · ${formatMs(e.durUs / 1000)}` : '')
      : '';
  });

  draw();
  host.dataset.renderMs = (performance.now() - started).toFixed(1);

  return {
    select(id) {
      selected = id;
      const e = model.byId.get(id);
      if (e) {
        const x = LABEL_W + (e.us - model.startUs) / usPerPx;
        if (x < scroller.scrollLeft + LABEL_W || x > scroller.scrollLeft + viewW - 40) {
          scroller.scrollLeft = Math.max(0, x - LABEL_W - (viewW - LABEL_W) / 2);
        }
      }
      draw();
      return canvas;
    },
    focus() {
      canvas.focus?.();
    },
  };
}

/** The first index whose value is ≥ v (values sorted ascending). */
function lowerBound(values, v) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
