import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npmStart, stopGroup } from './helpers/cli-process.js';

// The README's own commands, through npm itself: every `npm start -- <flags>` reaches `serve`, and
// a flag given overrides the script's embedded default (`--in-memory` used to exit 2 because the
// script hard-coded `--db data/sandbox.json`).
const dir = mkdtempSync(join(tmpdir(), 'kapture-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function health(url: string): Promise<{ storage: string; customers: number }> {
  return (await (await fetch(`${url}/__sandbox/health`)).json()) as { storage: string; customers: number };
}

describe('npm start -- <flags>', () => {
  it('--in-memory serves a throwaway sandbox', async () => {
    const served = await npmStart(['--in-memory']);
    try {
      expect(served.output()).toContain('storage: in memory');
      expect(await health(served.url)).toMatchObject({ storage: 'memory', customers: 53 });
    } finally {
      await stopGroup(served.child);
    }
  });

  it('--db PATH and --customers N override the embedded defaults', async () => {
    const db = join(dir, 'store.json');
    const served = await npmStart(['--db', db, '--customers', '4']);
    try {
      expect(served.output()).toContain(`storage: file ${db}`);
      expect(await health(served.url)).toMatchObject({ storage: 'file', customers: 7 });
    } finally {
      await stopGroup(served.child);
    }
  });
});
