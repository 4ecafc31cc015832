import { showRead } from './actions.js';
import { call } from './api.js';
import { byId, el, json, replace } from './dom.js';

function label(customer) {
  const contact = customer.contacts?.[0];
  return [`#${customer.id}`, customer.name, customer.customerCode && `source id ${customer.customerCode}`, contact?.phone, contact?.email]
    .filter(Boolean)
    .join(' · ');
}

async function search() {
  const params = new URLSearchParams({ tenant: /** @type {HTMLInputElement} */ (byId('customer-tenant')).value.trim() });
  const q = /** @type {HTMLInputElement} */ (byId('customer-q')).value.trim();
  if (q) params.set('q', q);
  const path = `/customers?${params}`;
  const answer = await call('GET', path);
  showRead(answer.ok ? 'Customers searched.' : `Customer search refused (HTTP ${answer.status}): ${answer.json?.error}`, path);
  if (!answer.ok) {
    byId('customer-count').textContent = answer.json?.error ?? 'refused';
    replace(byId('customer-list'));
    return;
  }
  const { customers, total, tenant } = answer.json;
  byId('customer-count').textContent =
    total === 0 ? `No customer of tenant ${tenant} matches.` : `${total} customer${total > 1 ? 's' : ''} of tenant ${tenant} match${total > 1 ? '' : 'es'}; ${customers.length} shown, newest first, as search answers them.`;
  replace(
    byId('customer-list'),
    ...customers.map((customer) =>
      el('li', { 'data-customer': customer.id }, el('details', {}, el('summary', {}, label(customer)), el('pre', {}, json(customer)))),
    ),
  );
}

export function setupCustomers() {
  byId('customer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
}

export { search as refreshCustomers };
