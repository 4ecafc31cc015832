import { call, curl } from './api.js';
import { byId } from './dom.js';

/** What to reload after an action changed something (set by main.js). */
const refreshers = [];
export function afterEveryAction(refresh) {
  refreshers.push(refresh);
}

/**
 * Does one control request on behalf of a button, and shows its curl and its answer in
 * "Last action". Answers the sandbox's JSON, or undefined when it refused (the reason is shown).
 * @param {string} what in words, e.g. "Add rule: APIExpired"
 * @param {string} method @param {string} path @param {unknown} [body]
 */
export async function act(what, method, path, body) {
  byId('last-curl').textContent = curl(method, path, body);
  const result = byId('last-result');
  result.textContent = `${what}: sending…`;
  const answer = await call(method, path, body);
  result.textContent = answer.ok
    ? `${what}: done (HTTP ${answer.status}).`
    : `${what}: refused (HTTP ${answer.status}): ${answer.json?.error ?? 'no reason given'}`;
  result.dataset.outcome = answer.ok ? 'ok' : 'error';
  await Promise.all(refreshers.map((refresh) => refresh()));
  return answer.ok ? answer.json : undefined;
}

/** Shows the curl of a read (a search, a filter) without reporting it as an action. */
export function showRead(what, path) {
  byId('last-curl').textContent = curl('GET', path);
  byId('last-result').textContent = what;
  byId('last-result').dataset.outcome = 'ok';
}

export function setupCopy() {
  byId('copy-curl').addEventListener('click', async () => {
    const text = byId('last-curl').textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      byId('last-result').textContent = 'The curl is on the clipboard.';
    } catch {
      // Clipboard access can be refused (permissions): select the text for a manual copy instead.
      const range = document.createRange();
      range.selectNodeContents(byId('last-curl'));
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
  });
}
