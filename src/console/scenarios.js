import { act } from './actions.js';
import { byId, el, ERROR_CODES, OPERATIONS, options } from './dom.js';

/** The scope picker's matcher: only what was chosen (nothing: every call). */
function scope() {
  const rule = {};
  const operation = /** @type {HTMLSelectElement} */ (byId('scope-operation')).value;
  const key = /** @type {HTMLInputElement} */ (byId('scope-key')).value.trim();
  const tenant = /** @type {HTMLInputElement} */ (byId('scope-tenant')).value.trim();
  if (operation) rule.operation = operation;
  if (key) rule.key = key;
  if (tenant) rule.tenant = Number(tenant);
  return rule;
}

function number(id) {
  return Number(/** @type {HTMLInputElement} */ (byId(id)).value);
}

function describe(rule) {
  const where = [rule.operation, rule.key && `key ${rule.key}`, rule.tenant && `tenant ${rule.tenant}`].filter(Boolean).join(', ');
  return where ? ` (${where})` : ' (every call)';
}

/** Adds a rule: the scope plus the preset's effect. */
function addRule(label, effect) {
  const rule = { ...scope(), ...effect };
  return act(`Add rule: ${label}${describe(rule)}`, 'POST', '/faults', rule);
}

export function setupScenarios() {
  options(byId('scope-operation'), 'Every operation', OPERATIONS);
  const scheduleError = /** @type {HTMLSelectElement} */ (byId('schedule-error'));
  scheduleError.replaceChildren(...ERROR_CODES.map((code) => el('option', { value: code, selected: code === 'ServerFailure' }, code)));

  const buttons = byId('error-buttons');
  for (const code of ERROR_CODES) {
    const button = el('button', { type: 'button', 'data-error': code }, code);
    button.addEventListener('click', () => addRule(code, { error: code }));
    buttons.append(button);
  }
  byId('preset-latency').addEventListener('click', () => addRule(`latency ${number('latency-ms')} ms`, { latencyMs: number('latency-ms') }));
  for (const button of document.querySelectorAll('button[data-connection]')) {
    const connection = /** @type {HTMLElement} */ (button).dataset.connection;
    button.addEventListener('click', () => addRule(`connection ${connection}`, { connection }));
  }
  byId('preset-next').addEventListener('click', () => {
    const times = number('next-times');
    addRule(`${scheduleError.value} on the next ${times} calls`, { error: scheduleError.value, times });
  });
  byId('preset-nth').addEventListener('click', () => {
    const nth = number('nth-call');
    addRule(`${scheduleError.value} on call ${nth}`, { error: scheduleError.value, after: nth - 1, times: 1 });
  });
  byId('preset-flaky').addEventListener('click', () => {
    const probability = number('flaky-probability');
    const seed = number('flaky-seed');
    addRule(`${scheduleError.value} with probability ${probability}, seed ${seed}`, { error: scheduleError.value, probability, seed });
  });
}
