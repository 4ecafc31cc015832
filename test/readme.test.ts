import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from 'kapture-sandbox';

const run = promisify(execFile);
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const DOCUMENTED_URL = 'http://127.0.0.1:4010';

type Example = { command: string; expected?: { lang: string; text: string } };

/** Every ```sh block that runs curl, with the fenced block right after it (the documented answer). */
function curlExamples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w*)\n([\s\S]*?)```\n?/g)].map((m) => ({ lang: m[1]!, text: m[2]!, end: m.index! + m[0].length }));
  const examples: Example[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'sh' || !block.text.includes('curl ')) return;
    const next = blocks[index + 1];
    const adjacent = next && README.slice(block.end, README.indexOf('```', block.end)).trim() === '';
    examples.push({ command: block.text, ...(adjacent && next.lang !== 'sh' ? { expected: { lang: next.lang, text: next.text } } : {}) });
  });
  return examples;
}

// The README's curls run verbatim, in order, against a sandbox with the embedded defaults (the
// state `npm start` gives), only the port differs: a curl that stops working fails here.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true });
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
    if (example.expected.lang === 'json') {
      expect(JSON.parse(stdout)).toEqual(JSON.parse(example.expected.text));
    } else if (!example.expected.text.includes('...')) {
      // Headers and body shown as text: every line shown must be in the answer.
      for (const line of example.expected.text.split('\n').filter((l) => l.trim() !== '')) {
        expect(stdout).toContain(line);
      }
    } else {
      expect(stdout).toContain('"status":"success"');
    }
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
