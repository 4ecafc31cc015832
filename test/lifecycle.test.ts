import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawRequest } from './helpers/raw-socket.js';
import { PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

const HEADERS = { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' };

describe('closing a sandbox', () => {
  it('lets requests in flight finish, then stops', async () => {
    const sandbox = await testSandbox();
    const inFlight = vendor(sandbox, PATHS.search, { customer_id: '272930' }, { headers: { 'X-Sandbox-Fault': 'latency=400' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = sandbox.close();
    const answer = await inFlight;
    expect(answer.json.status).toBe('success');
    await closing;
    await expect(fetch(`${sandbox.url}/__sandbox/health`)).rejects.toThrow();
  });

  it('cuts what is still hanging after the grace period', async () => {
    const sandbox = await testSandbox({ closeGraceMs: 300 });
    const hung = rawRequest(sandbox.url, PATHS.search, { ...HEADERS, 'X-Sandbox-Fault': 'connection=hang' }, '{"customer_id":"272930"}', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await hung).kind).not.toBe('answer');
  });
});

describe('slow clients', () => {
  it('a client that sends half a request is cut off, not held forever', async () => {
    const sandbox = await testSandbox({ requestTimeoutMs: 500 });
    try {
      const { hostname, port } = new URL(sandbox.url);
      const outcome = await new Promise<{ ms: number; data: string }>((resolve) => {
        const started = performance.now();
        const socket = connect(Number(port), hostname, () => {
          // Headers promise 100 bytes; only 10 ever come.
          socket.write(`POST ${PATHS.search} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"custome`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk));
        socket.on('close', () => resolve({ ms: performance.now() - started, data }));
        socket.on('error', () => undefined);
        setTimeout(() => socket.destroy(), 10_000);
      });
      expect(outcome.ms).toBeLessThan(5_000);
      expect(outcome.data).not.toMatch(/<html/i);
      // The sandbox still serves everyone else.
      expect((await vendor(sandbox, PATHS.search, { customer_id: '272930' })).json.status).toBe('success');
    } finally {
      await sandbox.close();
    }
  });
});
