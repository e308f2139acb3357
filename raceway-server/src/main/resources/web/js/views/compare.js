// Compare two traces (#/compare/<a>/<b>): their structure side by side — the operations (kind and what, e.g.
// "FunctionCall transfer()", "StateChange Write alice.balance") each has, how often and how long, which exist in only
// one of them, whose durations differ — and the variables with races in only one.
import { h, clear, hashLink, loading, emptyState } from '../dom.js';
import { get } from '../api.js';
import { buildModel } from '../model.js';
import { eventLabel, kindName, formatMs, shortId } from '../format.js';

/** A duration differs when the two totals are this far apart (relative) and at least 1 ms apart. */
const DIFFERENT = 0.2;

export function compareView(route, ctx) {
  const body = h('div', { class: 'compare-body' }, loading('Loading both traces…'));
  const el = h('section', { class: 'view view-compare', 'aria-labelledby': 'compare-title' },
    h('div', { class: 'view-head' },
      h('div', null,
        h('a', { href: '#/traces', class: 'back-link' }, '← Traces'),
        h('h1', { id: 'compare-title' }, 'Compare traces'))),
    body);

  async function load(r) {
    const [a, b] = [r.parts[1], r.parts[2]];
    if (!a || !b) {
      clear(body).append(emptyState('Pick two traces in the trace list (the “compare” boxes), then “Compare”.'));
      return;
    }
    clear(body).append(loading('Loading both traces…'));
    try {
      const [ba, bb] = await Promise.all([get('/api/traces/' + encodeURIComponent(a)), get('/api/traces/' + encodeURIComponent(b))]);
      render(buildModel(a, ba), buildModel(b, bb));
    } catch (e) {
      ctx.fail(e, body);
    }
  }

  function render(ma, mb) {
    const sa = signatures(ma);
    const sb = signatures(mb);
    const keys = [...new Set([...sa.keys(), ...sb.keys()])].sort();
    const only = (x, y) => keys.filter((k) => x.has(k) && !y.has(k));
    const onlyA = only(sa, sb);
    const onlyB = only(sb, sa);
    const differing = keys.filter((k) => sa.has(k) && sb.has(k) && differs(sa.get(k), sb.get(k)));
    const racesA = racingVariables(ma);
    const racesB = racingVariables(mb);
    const racesOnlyA = [...racesA].filter((v) => !racesB.has(v)).sort();
    const racesOnlyB = [...racesB].filter((v) => !racesA.has(v)).sort();

    const head = (m) => h('div', { class: 'compare-head' },
      h('a', { href: hashLink(['trace', m.traceId]), class: 'mono' }, shortId(m.traceId)), ' ',
      h('span', { class: 'muted small' }, `${m.events.length} events · ${formatMs((m.endUs - m.startUs) / 1000)} · `
        + `${m.races.local.length + m.races.cross.length} races`));
    clear(body).append(
      h('div', { class: 'compare-summary', id: 'compare-summary' },
        h('p', null,
          h('strong', null, String(onlyA.length)), ' operations only in A, ',
          h('strong', null, String(onlyB.length)), ' only in B, ',
          h('strong', null, String(differing.length)), ' with different durations; races on ',
          h('strong', null, String(racesOnlyA.length)), ' variables only in A and ',
          h('strong', null, String(racesOnlyB.length)), ' only in B.')),
      h('div', { class: 'card' },
        h('table', { class: 'data-table compact', id: 'compare-table' },
          h('thead', null,
            h('tr', null, h('th', { scope: 'col' }, 'operation'),
              h('th', { scope: 'col', colspan: '2' }, 'A: ', head(ma)),
              h('th', { scope: 'col', colspan: '2' }, 'B: ', head(mb)),
              h('th', { scope: 'col' }, '')),
            h('tr', null, ['', 'count', 'total duration', 'count', 'total duration', 'difference'].map((c) => h('th', { scope: 'col', class: 'small muted' }, c)))),
          h('tbody', null, keys.map((k) => {
            const x = sa.get(k);
            const y = sb.get(k);
            const state = !y ? 'only-a' : !x ? 'only-b' : differing.includes(k) ? 'differs' : 'same';
            return h('tr', { class: `cmp-${state}`, dataset: { signature: k, state } },
              h('td', { class: 'mono small' }, k),
              h('td', { class: 'num' }, x ? String(x.count) : '—'), h('td', { class: 'num' }, x ? formatMs(x.durMs) : '—'),
              h('td', { class: 'num' }, y ? String(y.count) : '—'), h('td', { class: 'num' }, y ? formatMs(y.durMs) : '—'),
              h('td', { class: 'small' }, state === 'only-a' ? 'only in A' : state === 'only-b' ? 'only in B'
                : state === 'differs' ? `${y.durMs > x.durMs ? '+' : '−'}${formatMs(Math.abs(y.durMs - x.durMs))}` : ''));
          })))),
      h('div', { class: 'card', id: 'compare-races' },
        h('h2', null, 'Races'),
        raceLine('Only in A', racesOnlyA), raceLine('Only in B', racesOnlyB),
        raceLine('In both', [...racesA].filter((v) => racesB.has(v)).sort())));
  }

  function raceLine(label, variables) {
    return h('p', { dataset: { races: label } }, h('strong', null, `${label}: `),
      variables.length ? variables.map((v, i) => [i ? ', ' : '', h('code', null, v)]) : h('span', { class: 'muted' }, 'none'));
  }

  load(route);
  return {
    el,
    update(next) {
      load(next);
      return true;
    },
  };
}

/** Operation signature → { count, durMs } over the trace's own events. */
function signatures(model) {
  const out = new Map();
  for (const e of model.events) {
    if (String(e.event.trace_id) !== String(model.traceId)) continue; // events of linked traces are not its own
    const key = `${kindName(e.event)} ${eventLabel(e.event)}`;
    const s = out.get(key) || { count: 0, durMs: 0 };
    s.count += 1;
    s.durMs += e.durUs / 1000;
    out.set(key, s);
  }
  return out;
}

function differs(x, y) {
  const d = Math.abs(x.durMs - y.durMs);
  return d >= 1 && d / Math.max(x.durMs, y.durMs) > DIFFERENT;
}

function racingVariables(model) {
  return new Set([...model.races.local, ...model.races.cross].map((r) => String(r.variable)));
}
