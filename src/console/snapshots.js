import { act } from './actions.js';
import { call } from './api.js';
import { byId, el, replace } from './dom.js';

export async function refreshSnapshots() {
  const answer = await call('GET', '/snapshots');
  if (!answer.ok) return;
  replace(
    byId('snapshots-body'),
    ...answer.json.snapshots.map((snapshot) => {
      const path = `/snapshots/${encodeURIComponent(snapshot.name)}`;
      const restore = el('button', { type: 'button', 'aria-label': `Restore ${snapshot.name}` }, 'Restore');
      restore.addEventListener('click', () => act(`Restore ${snapshot.name}`, 'POST', `${path}/restore`));
      const remove = el('button', { type: 'button', 'aria-label': `Delete snapshot ${snapshot.name}` }, 'Delete');
      remove.addEventListener('click', () => act(`Delete snapshot ${snapshot.name}`, 'DELETE', path));
      return el('tr', { 'data-snapshot': snapshot.name }, el('td', {}, snapshot.name), el('td', {}, snapshot.createdAt), el('td', {}, snapshot.customers), el('td', {}, restore, ' ', remove));
    }),
  );
}

export function setupSnapshots() {
  byId('snapshot-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = /** @type {HTMLInputElement} */ (byId('snapshot-name')).value.trim();
    act(`Save snapshot ${name}`, 'POST', '/snapshots', { name });
  });
  byId('reset-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const tenant = /** @type {HTMLInputElement} */ (byId('reset-tenant')).value.trim();
    act(tenant ? `Reset tenant ${tenant}` : 'Reset the whole sandbox', 'POST', '/reset', tenant ? { tenant: Number(tenant) } : {});
  });
}
