// Formatting of the values the API returns: RFC 3339 timestamps with up to nanosecond fractions,
// durations, event kinds and free JSON values.

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** Microseconds since the epoch (a double; exact to the microsecond for current dates), or NaN. */
export function toMicros(timestamp) {
  if (typeof timestamp !== 'string') return NaN;
  const m = RFC3339.exec(timestamp.trim());
  if (!m) {
    const ms = Date.parse(timestamp);
    return Number.isNaN(ms) ? NaN : ms * 1000;
  }
  let zone = m[4] || 'Z';
  if (/^utc$/i.test(zone)) zone = 'Z';
  else if (zone.length === 5) zone = zone.slice(0, 3) + ':' + zone.slice(3);
  const seconds = Date.parse(m[1] + 'T' + m[2] + zone);
  if (Number.isNaN(seconds)) return NaN;
  const fraction = m[3] ? Number((m[3] + '000000000').slice(0, 9)) / 1000 : 0; // nanos → micros
  return seconds * 1000 + fraction;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** "2025-03-01 10:15:02.123" in the browser's local time zone. */
export function formatDateTime(timestamp) {
  const us = toMicros(timestamp);
  if (Number.isNaN(us)) return String(timestamp ?? '—');
  const d = new Date(Math.floor(us / 1000));
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "10:15:02.123456" local time, with microseconds when the timestamp carries them. */
export function formatTime(timestamp) {
  const us = toMicros(timestamp);
  if (Number.isNaN(us)) return String(timestamp ?? '—');
  const d = new Date(Math.floor(us / 1000));
  const micros = Math.round(us % 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${micros ? pad(micros, 3) : ''}`;
}

export function formatRelative(timestamp, now = Date.now()) {
  const us = toMicros(timestamp);
  if (Number.isNaN(us)) return '';
  const seconds = Math.round((now - us / 1000) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A duration given in milliseconds, with a unit that keeps it readable. */
export function formatMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(Number(ms))) return '—';
  const v = Number(ms);
  if (v === 0) return '0 ms';
  if (Math.abs(v) < 1) return `${(v * 1000).toFixed(v * 1000 < 10 ? 1 : 0)} µs`;
  if (Math.abs(v) < 1000) return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
  if (Math.abs(v) < 60000) return `${(v / 1000).toFixed(2)} s`;
  return `${(v / 60000).toFixed(1)} min`;
}

export function formatPercent(value) {
  if (value === undefined || value === null || Number.isNaN(Number(value))) return '—';
  const v = Number(value);
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}%`;
}

export function shortId(id) {
  return typeof id === 'string' ? id.slice(0, 8) : String(id ?? '');
}

/** Compact one-line JSON for tables; `null`/absent are shown as such. */
export function jsonText(value) {
  if (value === undefined) return '∅';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

export function prettyJson(value) {
  return JSON.stringify(value, null, 2);
}

// ---- events ----

export function kindName(event) {
  const kind = event && event.kind;
  if (!kind) return 'Unknown';
  if (typeof kind === 'string') return kind;
  const keys = Object.keys(kind);
  return keys.length ? keys[0] : 'Unknown';
}

export function kindPayload(event) {
  const kind = event && event.kind;
  if (!kind || typeof kind !== 'object') return {};
  const value = kind[kindName(event)];
  return value && typeof value === 'object' ? value : { value };
}

/** A short human label: the function name, "Write alice.balance", "POST /pay", ... */
export function eventLabel(event) {
  const name = kindName(event);
  const p = kindPayload(event);
  switch (name) {
    case 'FunctionCall': return `${p.function_name ?? '?'}()`;
    case 'StateChange': return `${p.access_type ?? 'Access'} ${p.variable ?? '?'}`;
    case 'LockAcquire': return `acquire ${p.lock_id ?? '?'}`;
    case 'LockRelease': return `release ${p.lock_id ?? '?'}`;
    case 'HttpRequest': return `${p.method ?? ''} ${p.url ?? ''}`.trim();
    case 'HttpResponse': return `HTTP ${p.status ?? '?'}`;
    case 'DatabaseQuery': return String(p.query ?? 'query').slice(0, 60);
    case 'DatabaseResult': return `${p.rows_affected ?? '?'} rows`;
    case 'AsyncSpawn': return `spawn ${shortId(p.task_id)}`;
    case 'AsyncAwait': return `await ${shortId(p.future_id)}`;
    case 'MemoryFence': return `fence ${p.ordering ?? ''}`.trim();
    case 'Error': return `${p.error_type ?? 'Error'}: ${p.message ?? ''}`.slice(0, 60);
    case 'Custom': return String(p.name ?? 'custom');
    default: return name;
  }
}

/** The kind family used for colours and the legend. */
export function kindFamily(event) {
  const name = kindName(event);
  if (name === 'StateChange') {
    const access = String(kindPayload(event).access_type ?? '');
    return /write|rmw/i.test(access) ? 'write' : 'read';
  }
  if (name === 'LockAcquire' || name === 'LockRelease') return 'lock';
  if (name === 'HttpRequest' || name === 'HttpResponse') return 'http';
  if (name === 'DatabaseQuery' || name === 'DatabaseResult') return 'db';
  if (name === 'Error') return 'error';
  if (name === 'FunctionCall' || name === 'AsyncSpawn' || name === 'AsyncAwait') return 'call';
  return 'other';
}

export function eventLocation(event) {
  const p = kindPayload(event);
  if (p.location) return String(p.location);
  if (p.file) return `${p.file}:${p.line ?? '?'}`;
  if (p.url) return String(p.url);
  return '';
}

export function durationMs(event) {
  const ns = event && event.metadata && event.metadata.duration_ns;
  return typeof ns === 'number' ? ns / 1e6 : undefined;
}

export function laneKey(event) {
  const md = event.metadata || {};
  return `${md.service_name ?? '?'}\u0000${md.thread_id ?? '?'}`;
}

export function isUuid(text) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(text).trim());
}

// ---- Rust Debug notation in the reference-compatible text of the API ----

// `None` only as the old value of a write line (`WRITE: None → …`): elsewhere it may be an English word.
const DEBUG_START = /\b(Some\(|None(?= →)|Null\b|Bool\(|Number\(|String\(|Array \[|Object \{)/g;

/**
 * The API's human-readable race lines and descriptions keep the reference's Rust Debug notation for values
 * (`Some(String("NEW"))`, `Number(900)`, `Object {"a": Bool(true)}`); this shows every such value as JSON
 * (`"NEW"`, `900`, `{"a":true}`, `None` → `null`) and leaves the rest of the text as it is.
 */
export function debugValuesAsJson(text) {
  if (typeof text !== 'string' || !text) return text;
  let out = '';
  let at = 0;
  DEBUG_START.lastIndex = 0;
  let m;
  while ((m = DEBUG_START.exec(text)) !== null) {
    const parsed = parseDebug(text, m.index);
    if (!parsed) continue;
    out += text.slice(at, m.index) + JSON.stringify(parsed.value);
    at = parsed.end;
    DEBUG_START.lastIndex = parsed.end;
  }
  return out + text.slice(at);
}

/** One Debug value at `i`: `{ value, end }`, or null when the text there is not one. */
function parseDebug(t, i) {
  const starts = (p) => t.startsWith(p, i);
  if (starts('None')) return { value: null, end: i + 4 };
  if (starts('Null')) return { value: null, end: i + 4 };
  if (starts('Some(')) return wrapped(t, i + 5, (v) => v);
  if (starts('Bool(true)')) return { value: true, end: i + 10 };
  if (starts('Bool(false)')) return { value: false, end: i + 11 };
  if (starts('Number(')) {
    const close = t.indexOf(')', i + 7);
    if (close < 0) return null;
    const n = Number(t.slice(i + 7, close));
    return Number.isFinite(n) ? { value: n, end: close + 1 } : null;
  }
  if (starts('String(')) {
    const s = debugString(t, i + 7);
    return s && t[s.end] === ')' ? { value: s.value, end: s.end + 1 } : null;
  }
  if (starts('Array [')) {
    const items = [];
    let j = i + 7;
    while (t[j] !== ']') {
      const v = parseDebug(t, j);
      if (!v) return null;
      items.push(v.value);
      j = v.end;
      if (t.startsWith(', ', j)) j += 2;
      else if (t[j] !== ']') return null;
    }
    return { value: items, end: j + 1 };
  }
  if (starts('Object {')) {
    const obj = {};
    let j = i + 8;
    while (t[j] !== '}') {
      const key = debugString(t, j);
      if (!key || !t.startsWith(': ', key.end)) return null;
      const v = parseDebug(t, key.end + 2);
      if (!v) return null;
      obj[key.value] = v.value;
      j = v.end;
      if (t.startsWith(', ', j)) j += 2;
      else if (t[j] !== '}') return null;
    }
    return { value: obj, end: j + 1 };
  }
  return null;
}

function wrapped(t, i, f) {
  const v = parseDebug(t, i);
  return v && t[v.end] === ')' ? { value: f(v.value), end: v.end + 1 } : null;
}

/** A Rust `{:?}` string literal at `i` (`"…"` with \" \\ \n \r \t \u{hex} escapes). */
function debugString(t, i) {
  if (t[i] !== '"') return null;
  let s = '';
  for (let j = i + 1; j < t.length; j++) {
    const c = t[j];
    if (c === '"') return { value: s, end: j + 1 };
    if (c !== '\\') { s += c; continue; }
    const e = t[++j];
    if (e === 'n') s += '\n';
    else if (e === 'r') s += '\r';
    else if (e === 't') s += '\t';
    else if (e === 'u' && t[j + 1] === '{') {
      const close = t.indexOf('}', j);
      if (close < 0) return null;
      s += String.fromCodePoint(parseInt(t.slice(j + 2, close), 16));
      j = close;
    } else s += e;
  }
  return null;
}
