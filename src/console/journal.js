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
  // Today's request shapes are told apart from the document's: the same operation, another body.
  const operation = entry.operation === undefined ? `${entry.method} ${entry.path}` : entry.shape === 'current' ? `${entry.operation} (today's shape)` : entry.operation;
  const parts = [`#${entry.id}`, entry.time, operation, entry.key ? `key ${entry.key}` : 'no key', status];
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

/** How many of the newest entries a poll asks for; when they do not reach back to what is shown, the list is reloaded. */
const POLL_ENTRIES = 50;

function shownLimit() {
  return Number(/** @type {HTMLSelectElement} */ (byId('journal-limit')).value);
}

function showCount() {
  const count = byId('journal-list').childElementCount;
  byId('journal-count').textContent = count === 0 ? 'No request matches (yet).' : `${count} request${count > 1 ? 's' : ''}, newest first.`;
}

/** Replaces the list with these entries (newest last, as the sandbox answers them). */
function render(entries) {
  newest = entries.at(-1)?.id ?? -1;
  const rows = document.createDocumentFragment();
  for (let index = entries.length - 1; index >= 0; index--) rows.append(row(entries[index]));
  replace(byId('journal-list'), rows);
  showCount();
}

/**
 * Polled. Asks for the newest few matching entries only: when they overlap what is shown, the new
 * ones are put on top (a busy sandbox does not make the page fetch its whole journal every second);
 * when they do not (a gap, a cleared journal, another filter), the list is reloaded.
 */
export async function refreshJournal(force = false) {
  const limit = shownLimit();
  const filter = query(limit);
  if (!force && filter === filterText && newest >= 0) {
    const recent = await call('GET', query(Math.min(POLL_ENTRIES, limit)));
    if (!recent.ok) return;
    const entries = recent.json.entries;
    const last = entries.at(-1)?.id ?? -1;
    if (last === newest) return;
    if (entries.length > 0 && entries[0].id <= newest && last > newest) {
      const list = byId('journal-list');
      const fresh = entries.filter((entry) => entry.id > newest);
      const rows = document.createDocumentFragment();
      for (let index = fresh.length - 1; index >= 0; index--) rows.append(row(fresh[index]));
      list.prepend(rows);
      while (list.childElementCount > limit) list.lastElementChild?.remove();
      newest = last;
      showCount();
      return;
    }
  } else if (!force && filter === filterText) {
    // Nothing shown yet: one cheap look before a full load.
    const latest = await call('GET', query(1));
    if (!latest.ok || latest.json.entries.length === 0) return;
  }
  const answer = await call('GET', filter);
  if (!answer.ok) return;
  filterText = filter;
  render(answer.json.entries);
}

export function setupJournal() {
  options(byId('journal-operation'), 'Every operation', OPERATIONS);
  options(byId('journal-error'), 'Any outcome', ERROR_CODES);
  const changed = () => {
    showRead('Journal filter applied.', query(shownLimit()));
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
