import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from 'kapture-sandbox';
import { compareShown, isCutShort, parseShown } from './helpers/shown-json.js';

const run = promisify(execFile);
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const DOCUMENTED_URL = 'http://127.0.0.1:4010';

type Block = { lang: string; text: string };
type Example = { command: string; expected?: Block };

/** Every ```sh block that runs curl, with the fenced block right after it (the documented answer). */
function curlExamples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w*)\n([\s\S]*?)```\n?/g)].map((m) => ({ lang: m[1]!, text: m[2]!, end: m.index! + m[0].length }));
  const examples: Example[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'sh' || !block.text.includes('curl ')) return;
    const next = blocks[index + 1];
    const adjacent = next && markdown.slice(block.end, markdown.indexOf('```', block.end)).trim() === '';
    examples.push({ command: block.text, ...(adjacent && next.lang !== 'sh' ? { expected: { lang: next.lang, text: next.text } } : {}) });
  });
  return examples;
}

/**
 * How a documented answer is held to the real one, by what its block shows: the first row that
 * applies decides. A block cut short is still checked for every key and value it shows.
 */
const ANSWER_CHECKS: Array<{ shows: string; applies: (block: Block) => boolean; check: (stdout: string, block: Block) => void }> = [
  {
    shows: 'JSON cut short with "...": every key and value shown, where it is shown',
    applies: (block) => isCutShort(block.text),
    check: (stdout, block) => expect(compareShown(parseShown(block.text), JSON.parse(stdout))).toEqual([]),
  },
  {
    shows: 'a whole JSON answer: equal to it',
    applies: (block) => block.lang === 'json',
    check: (stdout, block) => expect(JSON.parse(stdout)).toEqual(JSON.parse(block.text)),
  },
  {
    shows: 'text (headers and body, exit codes): every line shown is in the output',
    applies: () => true,
    check: (stdout, block) => {
      for (const line of block.text.split('\n').filter((l) => l.trim() !== '')) expect(stdout).toContain(line);
    },
  },
];

/** The moment the README's answers show ("Nov 29, 2026 5:18:49 PM" IST): the sandbox's clock, so their dates are checked too. */
const SHOWN_AT = new Date('2026-11-29T11:48:49.000Z');

// The README's curls run verbatim, in order, against a sandbox with the embedded defaults (the
// state `npm start` gives); only the port differs, and the clock stands at SHOWN_AT. A curl that
// stops working, or answers otherwise than shown, fails here.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, now: () => new Date(SHOWN_AT) });
});
afterAll(() => sandbox.close());

describe('README', () => {
  const examples = curlExamples(README);

  it('has a curl for each operation and for the control surface', () => {
    const all = examples.map((e) => e.command).join('\n');
    for (const path of [
      '/add-update-customer-from-other-source.html',
      '/search-customer-by-customer-id.html',
      '/add-more-contacts-for-existing-customer.html',
      '/select-customer-between-start-and-end-dates.html',
      '/__sandbox/health',
      '/__sandbox/keys',
      '/__sandbox/reset',
    ]) {
      expect(all).toContain(path);
    }
  });

  it.each(examples.map((example, index) => [index + 1, example] as const))('curl example %i works verbatim', async (_n, example) => {
    const command = example.command.replaceAll(DOCUMENTED_URL, sandbox.url);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', command], { timeout: 10_000 });
    expect(stdout).not.toMatch(/<html/i);
    if (!example.expected) {
      expect(stdout.trim()).not.toBe('');
      // An answer shown without its output must not be a vendor failure (a journal may list some).
      const parsed = (() => {
        try {
          return JSON.parse(stdout) as { Status?: string };
        } catch {
          return undefined;
        }
      })();
      expect(parsed?.Status).not.toBe('Fail');
      return;
    }
    const shown = example.expected;
    ANSWER_CHECKS.find((row) => row.applies(shown))!.check(stdout, shown);
  });

  it('checks each answer it shows: a cut-short one by what it does show', () => {
    const cutShort = examples.filter((e) => e.expected && isCutShort(e.expected.text));
    expect(cutShort.length).toBeGreaterThan(0);
    for (const example of cutShort) expect(() => parseShown(example.expected!.text)).not.toThrow();
  });

  it('its redacted key is what the journal shows for sandbox-key', async () => {
    const shown = [...README.matchAll(/`(\w+…#[0-9a-f]+)`/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    await fetch(`${sandbox.url}/search-customer-by-customer-id.html`, {
      method: 'POST',
      headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer_id: 'redaction-probe' }),
    });
    const entry = (await sandbox.journal.list()).findLast((e) => JSON.stringify(e.request.body).includes('redaction-probe'));
    expect(entry?.key).toMatch(/^sa…#[0-9a-f]{8}$/);
    for (const text of shown) expect(text).toBe(entry!.key);
  });

  it('its library example runs as written, importing the package by name', async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(README)![1]!;
    expect(code).toContain("from 'kapture-sandbox'");
    // Inside the project, so that the package resolves itself by name (package.json "exports").
    const dir = fileURLToPath(new URL('../.tmp/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-example-${process.pid}.ts`);
    writeFileSync(file, `${code}\nconsole.log(JSON.stringify(await res.json()));\n`);
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { timeout: 20_000 });
      expect(JSON.parse(stdout).message[0].id).toBe(272930);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

// A cut-short answer is checked for what it shows, and only that: each row is what the README could
// show of one answer, with the differences the check must find.
describe('shown JSON: an answer cut short with "..."', () => {
  const answer = { message: [{ id: 286829, name: 'Nikesh', contacts: [{ id: 365384 }, { id: 365448 }] }], status: 'success' };
  it.each([
    { shown: '{"message":[{"id":286829,...}],"status":"success"}', differences: [] },
    { shown: '{"message":[{"id":272930,...}],"status":"success"}', differences: ['$.message[0].id: shown 272930, answered 286829'] },
    { shown: '{"message":[{"id":"286829",...}], ...}', differences: ['$.message[0].id: shown "286829", answered 286829'] },
    { shown: '{"message":[{"id":286829,...}]}', differences: ['$: shown whole, but the answer also has status'] },
    { shown: '{"message":[{"id":286829,"name":"Nikesh"}], ...}', differences: ['$.message[0]: shown whole, but the answer also has contacts'] },
    { shown: '{"message":[{"id":286829,...},{"id":1,...}], ...}', differences: ['$.message: shown 2 items, answered 1'] },
    { shown: '{"message":[{"contacts":[..., {"id":365448}], ...}], ...}', differences: [] },
    { shown: '{"message":[{"contacts":[{"id":365448}, ...], ...}], ...}', differences: [] },
    { shown: '{"message":[{"contacts":[{"id":365448}, {"id":365384}, ...], ...}], ...}', differences: ['$.message[0].contacts: shown item 1 matches no answered item from [2] on'] },
    { shown: '{"message":[{"city":"Pune", ...}], ...}', differences: ['$.message[0].city: shown, absent from the answer'] },
    { shown: '{"message":{"id":286829, ...}, ...}', differences: [`$.message: shown an object, answered ${JSON.stringify(answer.message).slice(0, 57)}...`] },
    { shown: '{"status":"success", ... }', differences: [] },
    { shown: '{"status":"success…"…}', differences: ['$.status: shown "success…", answered "success"'] },
  ])('$shown', ({ shown, differences }) => {
    expect(compareShown(parseShown(shown), answer)).toEqual(differences);
  });

  it.each(['{"message":[{"id":286829,..}]}', '{"message": ... ', '{"message":[1,2]} and more'])('refuses %s, which is neither JSON nor "..."', (shown) => {
    expect(() => parseShown(shown)).toThrow(/shown JSON: expected/);
  });
});
