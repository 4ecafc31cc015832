import { act } from './actions.js';
import { call } from './api.js';
import { byId, el, replace } from './dom.js';

const MATCHERS = ['operation', 'key', 'tenant'];
const EFFECTS = ['error', 'status', 'latencyMs', 'connection'];

function words(rule, names) {
  const parts = names.filter((name) => rule[name] !== undefined).map((name) => `${name}: ${Array.isArray(rule[name]) ? rule[name].join('-') : rule[name]}`);
  return parts.length > 0 ? parts.join(', ') : '';
}

function schedule(rule) {
  const parts = [];
  if (rule.after !== undefined) parts.push(`after ${rule.after} calls`);
  if (rule.times !== undefined) parts.push(`${rule.times} times`);
  if (rule.probability !== undefined) parts.push(`probability ${rule.probability}`);
  parts.push(`seed ${rule.seed}`);
  return parts.join(', ');
}

let shown = '';

/** Reloads the rules (polled: matched and fired change with every vendor call). */
export async function refreshRules() {
  const answer = await call('GET', '/faults');
  if (!answer.ok) return;
  const text = JSON.stringify(answer.json.rules);
  if (text === shown) return;
  shown = text;
  const rules = answer.json.rules;
  byId('rules-empty').hidden = rules.length > 0;
  replace(
    byId('rules-body'),
    ...rules.map((rule) => {
      const remove = el('button', { type: 'button', 'aria-label': `Remove ${rule.id}` }, 'Remove');
      remove.addEventListener('click', () => act(`Remove ${rule.id}`, 'DELETE', `/faults/${encodeURIComponent(rule.id)}`));
      return el(
        'tr',
        { 'data-rule': rule.id },
        el('td', {}, rule.id),
        el('td', {}, words(rule, MATCHERS) || 'every call'),
        el('td', {}, words(rule, EFFECTS)),
        el('td', {}, schedule(rule)),
        el('td', { 'data-count': 'matched' }, rule.matched),
        el('td', { 'data-count': 'fired' }, rule.fired),
        el('td', {}, remove),
      );
    }),
  );
}

export function setupRules() {
  byId('rules-clear').addEventListener('click', () => act('Remove all rules', 'DELETE', '/faults'));
}
