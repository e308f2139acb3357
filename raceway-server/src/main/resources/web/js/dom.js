// Tiny DOM builders. Every string becomes a text node or an attribute value set through the DOM API,
// so server data can never be interpreted as markup (no innerHTML anywhere in the UI).

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h('a', {href: '#/x', class: 'link'}, 'text', otherNode). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** An SVG element, same contract as {@link h}. */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Makes a non-button element behave like a button for keyboard users (Enter / Space). */
export function activatable(el, action) {
  el.addEventListener('click', action);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action(e);
    }
  });
  return el;
}

export function hashLink(parts, query) {
  let href = '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const qs = q.toString();
    if (qs) href += '?' + qs;
  }
  return href;
}

export function emptyState(message) {
  return h('p', { class: 'empty' }, message);
}

export function errorBox(message) {
  return h('div', { class: 'notice notice-error', role: 'alert' }, message);
}

export function loading(message = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, message);
}

/** The current hash route: `#/trace/<id>/audit/<var>?event=x` → {name, parts, query}. */
export function parseRoute(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/traces';
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { name: parts[0] || 'traces', parts, query };
}

/** Replaces query values of the current route without a navigation (no hashchange). */
export function replaceQuery(changes, parts) {
  const route = parseRoute();
  const query = Object.fromEntries(route.query);
  Object.assign(query, changes);
  history.replaceState(null, '', hashLink(parts || route.parts, query));
}

/** A table head row; columns listed in `numeric` are right-aligned like their cells. */
export function headRow(labels, numeric = []) {
  return h('thead', null, h('tr', null, labels.map((label, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : undefined }, label))));
}
