import { act, showRead } from './actions.js';
import { call } from './api.js';
import { byId, el, ERROR_CODES, json, OPERATIONS, options, replace } from './dom.js';

/** The newest entry shown, for the cheap "anything new?" poll. */
let newest = -1;
let filterText = '';
/** Entries whose details are open survive a re-render. */
const open = new Set();

function query(limit) {
  const params = new URLSearchParams();
  const operation = /** @type {HTMLSelectElement} */ (byId('journal-operation')).value;
  const error = /** @type {HTMLSelectElement} */ (byId('journal-error')).value;
  const key = /** @type {HTMLInputElement} */ (byId('journal-key')).value.trim();
  if (operation) params.set('operation', operation);
  if (error) params.set('error', error);
  if (key) params.set('key', key);
  params.set('limit', String(limit));
  return `/journal?${params}`;
}

function summary(entry) {
  const status = entry.response ? `HTTP ${entry.response.status}` : 'no answer (connection fault)';
  const parts = [`#${entry.id}`, entry.time, entry.operation ?? `${entry.method} ${entry.path}`, entry.key ? `key ${entry.key}` : 'no key', status];
  if (entry.error) parts.push(entry.error);
  if (entry.faults.length > 0) parts.push(`faults: ${entry.faults.join(', ')}`);
  if (entry.warnings.length > 0) parts.push(`${entry.warnings.length} warning${entry.warnings.length > 1 ? 's' : ''}`);
  parts.push(`${Math.round(entry.durationMs)} ms`);
  return parts.join(' · ');
}

/** The bodies are built only when an entry is opened: a full journal paints fast. */
function details(entry) {
  const parts = [el('h3', {}, 'Request'), el('pre', {}, json(entry.request.body))];
  if (entry.warnings.length > 0) parts.push(el('h3', {}, 'Warnings'), el('ul', {}, ...entry.warnings.map((w) => el('li', {}, w))));
  if (entry.faults.length > 0) parts.push(el('h3', {}, 'Faults'), el('ul', {}, ...entry.faults.map((f) => el('li', {}, f))));
  parts.push(el('h3', {}, entry.response ? `Answer (HTTP ${entry.response.status})` : 'Answer'));
  parts.push(entry.response ? el('pre', {}, json(entry.response.body)) : el('p', {}, 'None: the connection was cut.'));
  return parts;
}

function row(entry) {
  const item = el('details', { 'data-entry': entry.id, 'data-error': entry.error, open: open.has(entry.id) }, el('summary', {}, summary(entry)));
  const fill = () => {
    if (item.childElementCount === 1) item.append(el('div', { class: 'entry' }, ...details(entry)));
  };
  if (open.has(entry.id)) fill();
  item.addEventListener('toggle', () => {
    if (item.open) {
      open.add(entry.id);
      fill();
    } else open.delete(entry.id);
  });
  return el('li', {}, item);
}

/** Polled: asks for the newest matching entry only, and reloads the list when it changed. */
export async function refreshJournal(force = false) {
  const limit = Number(/** @type {HTMLSelectElement} */ (byId('journal-limit')).value);
  const filter = query(limit);
  if (!force && filter === filterText) {
    const latest = await call('GET', query(1));
    if (!latest.ok) return;
    if ((latest.json.entries[0]?.id ?? -1) === newest) return;
  }
  const answer = await call('GET', filter);
  if (!answer.ok) return;
  filterText = filter;
  const entries = answer.json.entries;
  newest = entries.at(-1)?.id ?? -1;
  byId('journal-count').textContent = entries.length === 0 ? 'No request matches (yet).' : `${entries.length} request${entries.length > 1 ? 's' : ''}, newest first.`;
  const list = byId('journal-list');
  const rows = document.createDocumentFragment();
  for (let index = entries.length - 1; index >= 0; index--) rows.append(row(entries[index]));
  replace(list, rows);
}

export function setupJournal() {
  options(byId('journal-operation'), 'Every operation', OPERATIONS);
  options(byId('journal-error'), 'Any outcome', ERROR_CODES);
  const changed = () => {
    showRead('Journal filter applied.', query(Number(/** @type {HTMLSelectElement} */ (byId('journal-limit')).value)));
    refreshJournal(true);
  };
  for (const id of ['journal-operation', 'journal-error', 'journal-limit', 'journal-key']) byId(id).addEventListener('change', changed);
  byId('journal-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    changed();
  });
  byId('journal-clear').addEventListener('click', () => act('Clear journal', 'DELETE', '/journal'));
}

export function journalPaused() {
  return /** @type {HTMLInputElement} */ (byId('journal-pause')).checked;
}
