import { act } from './actions.js';
import { call } from './api.js';
import { byId, el, json, OPERATIONS, replace } from './dom.js';

const SHOWN = ['key', 'tenant', 'operations', 'expiresAt', 'name', 'profile'];

/** Whatever else a key carries (fields, and any property a newer sandbox adds), as JSON. */
function others(key) {
  const rest = Object.fromEntries(Object.entries(key).filter(([name]) => !SHOWN.includes(name)));
  return Object.keys(rest).length > 0 ? json(rest) : '';
}

export async function refreshKeys() {
  const answer = await call('GET', '/keys');
  if (!answer.ok) return;
  replace(
    byId('keys-body'),
    ...answer.json.keys.map((key) => {
      const remove = el('button', { type: 'button', 'aria-label': `Delete key ${key.key}` }, 'Delete');
      remove.addEventListener('click', () => act(`Delete key ${key.key}`, 'DELETE', `/keys/${encodeURIComponent(key.key)}`));
      return el(
        'tr',
        { 'data-key': key.key },
        el('td', {}, el('code', {}, key.key)),
        el('td', {}, key.tenant),
        el('td', {}, key.operations ? key.operations.join(', ') : 'all'),
        el('td', {}, key.expiresAt ?? 'never'),
        el('td', {}, key.name ?? ''),
        el('td', {}, typeof key.profile === 'object' ? `${key.profile.name} (own)` : (key.profile ?? "the sandbox's")),
        el('td', {}, el('pre', {}, others(key))),
        el('td', {}, remove),
      );
    }),
  );
}

function value(id) {
  return /** @type {HTMLInputElement} */ (byId(id)).value.trim();
}

export function setupKeys() {
  const box = byId('key-operations');
  for (const operation of OPERATIONS) {
    box.append(el('label', {}, el('input', { type: 'checkbox', value: operation, name: 'key-operation' }), ` ${operation}`));
  }
  byId('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { key: value('key-key'), tenant: Number(value('key-tenant')) };
    const operations = [...document.querySelectorAll('input[name="key-operation"]:checked')].map((input) => /** @type {HTMLInputElement} */ (input).value);
    if (operations.length > 0) body.operations = operations;
    // datetime-local is the tester's local time: sent as the instant it names.
    const expires = value('key-expires');
    if (expires) body.expiresAt = new Date(expires).toISOString();
    if (value('key-name')) body.name = value('key-name');
    if (value('key-profile')) body.profile = value('key-profile');
    if (value('key-seed')) body.seedCustomers = Number(value('key-seed'));
    await act(`Create key ${body.key}`, 'POST', '/keys', body);
  });
}
