// A small layered service graph (callers left, callees right) drawn in SVG.
import { s, h } from './dom.js';

const NODE_W = 170;
const NODE_H = 44;
const COL_GAP = 110;
const ROW_GAP = 22;

/**
 * @param nodes [{name, detail}]
 * @param links [{from, to, count, label}]
 */
export function serviceGraph(nodes, links, { ariaLabel = 'Service dependency graph' } = {}) {
  const names = [...new Set([...nodes.map((n) => n.name), ...links.flatMap((l) => [l.from, l.to])])];
  if (!names.length) return h('p', { class: 'empty' }, 'No services.');
  const detail = new Map(nodes.map((n) => [n.name, n.detail]));

  // Column = longest call chain leading to the service (cycles are cut by a depth bound).
  const col = new Map(names.map((n) => [n, 0]));
  for (let round = 0; round < names.length; round++) {
    let changed = false;
    for (const l of links) {
      if (l.from === l.to) continue;
      const c = col.get(l.from) + 1;
      if (c > col.get(l.to) && c < names.length) {
        col.set(l.to, c);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = [];
  for (const n of names) (columns[col.get(n)] ||= []).push(n);
  const pos = new Map();
  let maxRows = 0;
  columns.forEach((list, c) => {
    (list || []).sort().forEach((n, r) => pos.set(n, { x: 20 + c * (NODE_W + COL_GAP), y: 20 + r * (NODE_H + ROW_GAP) }));
    maxRows = Math.max(maxRows, (list || []).length);
  });
  const width = 40 + columns.length * NODE_W + (columns.length - 1) * COL_GAP;
  const height = 40 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP;

  const svg = s('svg', { class: 'service-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': ariaLabel });
  svg.append(s('defs', null, s('marker', { id: 'graph-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto' },
    s('path', { class: 'graph-arrow-head', d: 'M0,0 L10,5 L0,10 z' }))));
  for (const l of links) {
    const a = pos.get(l.from);
    const b = pos.get(l.to);
    if (!a || !b) continue;
    let d;
    let lx;
    let ly;
    if (l.from === l.to) {
      d = `M${a.x + NODE_W - 30},${a.y} C${a.x + NODE_W},${a.y - 30} ${a.x + NODE_W + 30},${a.y + 10} ${a.x + NODE_W},${a.y + NODE_H / 2}`;
      lx = a.x + NODE_W + 8;
      ly = a.y - 6;
    } else {
      const back = b.x <= a.x;
      const x1 = back ? a.x : a.x + NODE_W;
      const x2 = back ? b.x + NODE_W : b.x;
      const y1 = a.y + NODE_H / 2;
      const y2 = b.y + NODE_H / 2;
      const dx = Math.max(Math.abs(x2 - x1) / 2, 40) * (back ? -1 : 1);
      d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2 - 6;
    }
    svg.append(s('path', { class: 'graph-link', d, 'marker-end': 'url(#graph-arrow)' },
      s('title', null, `${l.from} → ${l.to}: ${l.label ?? l.count}`)));
    svg.append(s('text', { class: 'graph-link-label', x: lx, y: ly, 'text-anchor': 'middle' }, String(l.label ?? `${l.count}×`)));
  }
  names.forEach((n, i) => {
    const p = pos.get(n);
    svg.append(s('g', { class: 'graph-node', transform: `translate(${p.x},${p.y})` },
      s('rect', { width: NODE_W, height: NODE_H, rx: 8, class: `svc-fill-${i % 6}` }),
      s('text', { x: 12, y: 19, class: 'graph-node-name' }, n.length > 22 ? n.slice(0, 21) + '…' : n, s('title', null, n)),
      detail.get(n) ? s('text', { x: 12, y: 35, class: 'graph-node-detail' }, String(detail.get(n))) : null));
  });
  return h('div', { class: 'graph-host' }, svg);
}
