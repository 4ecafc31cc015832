// Talks to the control surface. The admin token lives in sessionStorage (this tab only) and
// travels in the X-Sandbox-Admin-Token header, never in a URL; the curl commands shown name the
// environment variable instead of the secret.

const TOKEN_KEY = 'kapture-sandbox-admin-token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** @param {string} value */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Listeners told when the sandbox answers 401 (the page then asks for the token). */
const unauthorized = new Set();
export function onUnauthorized(listener) {
  unauthorized.add(listener);
}

/**
 * @param {string} method
 * @param {string} path under /__sandbox, e.g. "/faults"
 * @param {unknown} [body]
 * @returns {Promise<{ ok: boolean, status: number, json: any }>}
 */
export async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token()) headers['X-Sandbox-Admin-Token'] = token();
  let response;
  try {
    response = await fetch(`/__sandbox${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    return { ok: false, status: 0, json: { error: `the sandbox did not answer (${error.message}): is it still running?` } };
  }
  const json = await response.json().catch(() => ({ error: `HTTP ${response.status} without a JSON body` }));
  if (response.status === 401) for (const listener of unauthorized) listener(json.error);
  return { ok: response.ok, status: response.status, json };
}

/** A shell word: single-quoted, with any single quote closed, escaped and reopened. */
function quote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The curl that does what the page just did, ready to paste into a bug report or a CI job.
 * @param {string} method @param {string} path @param {unknown} [body]
 */
export function curl(method, path, body) {
  const parts = ['curl -s'];
  if (method !== 'GET') parts.push(`-X ${method}`);
  parts.push(quote(`${location.origin}/__sandbox${path}`));
  if (token()) parts.push('-H "X-Sandbox-Admin-Token: $KAPTURE_SANDBOX_ADMIN_TOKEN"');
  if (body !== undefined) parts.push("-H 'Content-Type: application/json'", `-d ${quote(JSON.stringify(body))}`);
  return parts.join(' ');
}
