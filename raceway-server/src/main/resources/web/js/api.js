// Same-origin calls to the Raceway HTTP API: the {"success","data","error"} envelope, the API key kept in
// sessionStorage and sent as a bearer token, and typed errors the views can react to.

const KEY_STORAGE = 'raceway.apiKey';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** 401 from the server: `rejectedKey` tells whether a key was sent (wrong key) or not (key missing). */
export class AuthRequiredError extends ApiError {
  constructor(rejectedKey) {
    super(401, rejectedKey ? 'The server rejected the API key.' : 'This server requires an API key.');
    this.rejectedKey = rejectedKey;
  }
}

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** GETs `path` and returns the envelope's `data`. */
export async function get(path, { signal } = {}) {
  return request(path, { signal, key: apiKey() });
}

/** GETs `path` with an explicit key (used to check a key before keeping it). */
export async function getWithKey(path, key) {
  return request(path, { key });
}

async function request(path, { signal, key }) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = 'Bearer ' + key;
  let response;
  try {
    response = await fetch(path, { headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Cannot reach the Raceway server (' + e.message + ').');
  }
  if (response.status === 401) throw new AuthRequiredError(Boolean(key));
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'HTTP ' + response.status + ': ' + (text.slice(0, 200) || response.statusText));
  }
  if (!response.ok || (body && body.success === false)) {
    const reason = body && typeof body.error === 'string' ? body.error : response.statusText;
    throw new ApiError(response.status, reason || 'HTTP ' + response.status);
  }
  return body && Object.prototype.hasOwnProperty.call(body, 'data') ? body.data : body;
}

/** Like {@link get}, but a 404 (route not offered by this server) yields `undefined` instead of an error. */
export async function getOptional(path, options) {
  try {
    return await get(path, options);
  } catch (e) {
    if (e instanceof ApiError && !(e instanceof AuthRequiredError) && (e.status === 404 || e.status === 405 || e.status === 501)) {
      return undefined;
    }
    throw e;
  }
}
