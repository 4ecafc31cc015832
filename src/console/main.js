import { afterEveryAction, setupCopy } from './actions.js';
import { call, onUnauthorized, setToken, token } from './api.js';
import { refreshCustomers, setupCustomers } from './customers.js';
import { byId } from './dom.js';
import { journalPaused, refreshJournal, setupJournal } from './journal.js';
import { refreshKeys, setupKeys } from './keys.js';
import { refreshRules, setupRules } from './rules.js';
import { setupScenarios } from './scenarios.js';
import { refreshSnapshots, setupSnapshots } from './snapshots.js';

const POLL_MS = 1000;

async function refreshHealth() {
  const answer = await call('GET', '/health');
  byId('health').textContent = answer.ok
    ? `kapture-sandbox ${answer.json.version} at ${location.origin}: ${answer.json.customers} customers, storage ${answer.json.storage}.`
    : `Not connected: ${answer.json?.error ?? `HTTP ${answer.status}`}`;
}

function tokenStatus(text) {
  byId('token-status').textContent = text ?? (token() ? 'A token is kept for this tab.' : 'No token given (none is needed unless the sandbox was started with one).');
}

async function loadAll() {
  await Promise.all([refreshHealth(), refreshRules(), refreshJournal(true), refreshKeys(), refreshSnapshots(), refreshCustomers()]);
}

function setupToken() {
  const input = /** @type {HTMLInputElement} */ (byId('token-input'));
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value);
    input.value = '';
    tokenStatus();
    loadAll();
  });
  byId('token-forget').addEventListener('click', () => {
    setToken('');
    tokenStatus();
  });
  onUnauthorized((message) => {
    tokenStatus(`This sandbox needs its admin token: ${message ?? 'enter it'}.`);
    byId('token-form').dataset.needed = 'true';
  });
  tokenStatus();
}

/** One poll at a time: a slow answer never piles requests up. */
async function poll() {
  if (!document.hidden) {
    await refreshRules();
    if (!journalPaused()) await refreshJournal();
  }
  setTimeout(poll, POLL_MS);
}

setupToken();
setupCopy();
setupScenarios();
setupRules();
setupJournal();
setupKeys();
setupCustomers();
setupSnapshots();
afterEveryAction(() => Promise.all([refreshRules(), refreshJournal(true), refreshKeys(), refreshSnapshots(), refreshHealth()]));
loadAll().then(() => {
  document.body.dataset.ready = 'true';
  setTimeout(poll, POLL_MS);
});
