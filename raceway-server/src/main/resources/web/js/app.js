// Entry point: hash router, theme, API-key prompt and server status.
import { h, clear, errorBox, parseRoute } from './dom.js';
import { AuthRequiredError, apiKey, setApiKey, getWithKey, get } from './api.js';
import { traceListView } from './views/trace-list.js';
import { traceView } from './views/trace.js';
import { racesView, servicesView, hotspotsView } from './views/global.js';
import { compareView } from './views/compare.js';

const VIEWS = {
  traces: traceListView,
  trace: traceView,
  races: racesView,
  services: servicesView,
  hotspots: hotspotsView,
  compare: compareView,
};

const main = document.getElementById('main');
let current = null; // { name, view }

const ctx = {
  /** Views hand every failed call here: a 401 opens the key prompt, anything else is shown in `target`. */
  fail(error, target) {
    if (error && error.name === 'AbortError') return;
    if (error instanceof AuthRequiredError) {
      promptForKey(error.rejectedKey);
      if (target) clear(target).append(h('p', { class: 'notice' }, 'Waiting for an API key…'));
      return;
    }
    console.warn(error); // shown to the user below; not an uncaught failure
    if (target) clear(target).append(errorBox(error && error.message ? error.message : String(error)));
  },
  navigate(hash) {
    if (location.hash === hash) render(true);
    else location.hash = hash;
  },
};

function render(forceRemount = false) {
  const route = parseRoute();
  const factory = VIEWS[route.name];
  if (!factory) {
    location.replace('#/traces');
    return;
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === route.name || (route.name === 'trace' && a.dataset.nav === 'traces')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!forceRemount && current && current.name === route.name && current.view.update && current.view.update(route) !== false) {
    return;
  }
  if (current && current.view.destroy) current.view.destroy();
  clear(main);
  const view = factory(route, ctx);
  current = { name: route.name, view };
  main.append(view.el);
}

// ---- API key prompt ----

const dialog = document.getElementById('auth-dialog');
const form = document.getElementById('auth-form');
const keyInput = document.getElementById('auth-key');
const authError = document.getElementById('auth-error');
const forgetButton = document.getElementById('forget-key');

function showAuthError(message) {
  authError.textContent = message;
  authError.hidden = !message;
}

function promptForKey(rejectedKey) {
  if (rejectedKey) {
    setApiKey('');
    showAuthError('The stored API key was rejected by the server. Enter a valid key.');
  }
  refreshForgetButton();
  if (!dialog.open) {
    if (!rejectedKey) showAuthError('');
    dialog.showModal();
  }
  keyInput.focus();
}

// The dialog only closes once a key works: Escape would leave the UI without data.
dialog.addEventListener('cancel', (e) => e.preventDefault());

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    showAuthError('Enter an API key.');
    return;
  }
  const submit = document.getElementById('auth-submit');
  submit.disabled = true;
  showAuthError('');
  try {
    await getWithKey('/api/traces?page=1&page_size=1', key);
    setApiKey(key);
    keyInput.value = '';
    dialog.close();
    refreshForgetButton();
    render(true);
  } catch (error) {
    if (error instanceof AuthRequiredError) {
      showAuthError('Wrong API key: the server rejected it (401). Check server.api_keys in raceway.toml.');
      keyInput.select();
    } else {
      showAuthError(error.message || String(error));
    }
  } finally {
    submit.disabled = false;
  }
});

function refreshForgetButton() {
  forgetButton.hidden = !apiKey();
}

forgetButton.addEventListener('click', () => {
  setApiKey('');
  refreshForgetButton();
  render(true);
});

// ---- theme ----

const THEME_KEY = 'raceway.theme';
const themeButton = document.getElementById('theme-toggle');

function effectiveTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
  themeButton.textContent = next === 'dark' ? '☾ Dark' : '☀ Light';
  themeButton.setAttribute('aria-label', `Switch to ${next} theme`);
}

themeButton.addEventListener('click', () => {
  const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch { /* private mode: the choice lasts for this page only */ }
  applyTheme(next);
});

try {
  applyTheme(localStorage.getItem(THEME_KEY) || '');
} catch {
  applyTheme('');
}
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(document.documentElement.dataset.theme || ''));

// ---- server status (GET /health is open even under auth) ----

const statusEl = document.getElementById('server-status');

// Polled every 2 s with a 1.5 s deadline, so "Server up" turns red within 4 s of the server going away.
const HEALTH_EVERY_MS = 2000;
const HEALTH_DEADLINE_MS = 1500;

async function pollHealth() {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), HEALTH_DEADLINE_MS);
  try {
    const health = await get('/health', { signal: deadline.signal });
    const ready = !health || health.ready !== false;
    statusEl.textContent = ready ? 'Server up' : 'Server starting';
    statusEl.dataset.state = ready ? 'up' : 'warn';
  } catch (e) {
    if (e instanceof AuthRequiredError) {
      statusEl.textContent = 'Server up';
      statusEl.dataset.state = 'up';
    } else {
      statusEl.textContent = 'Server unreachable';
      statusEl.dataset.state = 'down';
    }
  } finally {
    clearTimeout(timer);
  }
}

setInterval(() => {
  if (!document.hidden) pollHealth();
}, HEALTH_EVERY_MS);
pollHealth();

// Arrow keys move between focusable rows of any list or table (Enter opens the focused one).
document.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const row = e.target.closest && e.target.closest('tr[tabindex], li[tabindex]');
  if (!row || row !== e.target) return;
  let next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
  while (next && !next.hasAttribute('tabindex')) next = e.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling;
  if (next) {
    e.preventDefault();
    next.focus();
  }
});

window.addEventListener('hashchange', () => render());
refreshForgetButton();
render();
