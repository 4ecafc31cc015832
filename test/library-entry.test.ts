import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as library from '../src/index.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url);

/** A script run by plain Node (no loader flag), importing the package by its name as a user would. */
async function plainNode(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 30_000 });
  return stdout.trim();
}

describe('the package entry for plain Node', () => {
  it('exports exactly the runtime names of src/index.ts', async () => {
    const names = JSON.parse(await plainNode(`const m = await import('kapture-sandbox'); console.log(JSON.stringify(Object.keys(m).sort()));`));
    expect(names).toEqual(Object.keys(library).sort());
  });

  it('starts a sandbox that answers a search, then closes', async () => {
    const script = `
      import { startSandbox } from 'kapture-sandbox';
      const sandbox = await startSandbox({ port: 0 });
      const answer = await fetch(sandbox.url + '/search-customer-by-customer-id.html', {
        method: 'POST',
        headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
        body: JSON.stringify({ customer_id: '272930' }),
      });
      const body = await answer.json();
      await sandbox.close();
      console.log(answer.status, body.message[0].id);
    `;
    expect(await plainNode(script)).toBe('200 272930');
  });

  it('require() from CommonJS gives startSandbox (Node 20 cannot require the ES modules themselves)', async () => {
    const script = `
      const { startSandbox } = require('kapture-sandbox');
      startSandbox({ port: 0 }).then(async (sandbox) => {
        const health = await sandbox.health();
        await sandbox.close();
        console.log(typeof startSandbox, health.customers);
      });
    `;
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: ROOT, timeout: 30_000 });
    expect(stdout.trim()).toBe('function 53');
  });
});
