import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { exited, killServed, serveCli, type Served } from '../helpers/cli-process.js';
import { VENDOR } from '../helpers/http.js';
import { TEST_TIMEOUT_MS } from './sizes.js';
import { call, isSuccess, tempDir } from './support.js';

/*
 * A file-mode sandbox process stopped with SIGTERM while requests are in flight: they are
 * answered, what was answered Success is on disk, and the process exits 0.
 */

type RawAnswer = { status: number; json: any } | { status: undefined; error: string };

/**
 * A client that sends the headers and half the body, waits `holdMs`, then sends the rest: a
 * request that is in flight for that long. Resolves with the answer, or with why there was none.
 */
function slowUpload(url: string, path: string, body: unknown, holdMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Basic sandbox-key\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(payload.subarray(0, half));
      setTimeout(() => socket.write(payload.subarray(half)), holdMs);
    });
    const finish = (error?: string) => {
      const match = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(data);
      if (!match) return resolve({ status: undefined, error: error ?? `no HTTP answer (${data.length} bytes)` });
      let json: unknown;
      try {
        json = JSON.parse(match[2]!);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(match[1]), json });
    };
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => finish());
    socket.on('error', (error) => finish(error.message));
    socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
  });
}

function customer(name: string) {
  return { name, email: `${name}@term.test`, phone: '9876543210', city: 'Pune' };
}

describe('crash safety', () => {
  it(
    'SIGTERM lets requests in flight finish (answers held by latency, a half-sent upload), flushes, and exits 0',
    async () => {
      const temp = await tempDir('kapture-term-');
      const db = join(temp.dir, 'store.json');
      let served: Served | undefined;
      try {
        served = await serveCli(['--db', db, '--customers', '5']);
        const url = served.url;
        // Warm: the first request loads the validators, which would hold the event loop for a while.
        expect(isSuccess(await call(url, VENDOR.search, { customer_id: '272930' }))).toBe(true);
        const slow = Array.from({ length: 10 }, (_, i) => call(url, VENDOR.add, customer(`term-slow-${i}`), { 'X-Sandbox-Fault': 'latency=400' }));
        const upload = slowUpload(url, VENDOR.add, customer('term-upload'), 400);
        const burst = Array.from({ length: 40 }, (_, i) => call(url, VENDOR.add, customer(`term-burst-${i}`)));
        await delay(150);
        const signalled = performance.now();
        served.child.kill('SIGTERM');
        const code = await exited(served.child);
        const stoppedMs = performance.now() - signalled;
        const slowResults = await Promise.all(slow);
        const uploadResult = await upload;
        const burstResults = await Promise.all(burst);

        for (const [i, result] of slowResults.entries()) {
          expect(isSuccess(result), `slow request ${i} (answer held 400 ms) after SIGTERM: ${result.answered ? result.text : result.error}`).toBe(true);
        }
        expect(uploadResult, 'the upload still being sent when SIGTERM came').toMatchObject({ status: 200, json: { Status: 'Success' } });
        for (const [i, result] of burstResults.entries()) {
          if (result.answered) expect(isSuccess(result), `burst request ${i}: ${result.text}`).toBe(true);
        }
        expect(code, `exit code after SIGTERM; output: ${served.output().slice(-500)}`).toBe(0);
        expect(stoppedMs).toBeLessThan(8_000);

        // Everything answered Success is on disk.
        const answered = [
          ...slowResults.map((r, i) => [r, `term-slow-${i}`] as const),
          ...burstResults.map((r, i) => [r, `term-burst-${i}`] as const),
        ].filter(([r]) => isSuccess(r));
        const uploadId = 'json' in uploadResult ? uploadResult.json?.['Kapture Customer Id'] : undefined;
        served = await serveCli(['--db', db]);
        for (const [result, name] of answered) {
          const id = (result as { json: any }).json['Kapture Customer Id'];
          const found = await call(served.url, VENDOR.search, { customer_id: id });
          expect(isSuccess(found) && (found as { json: any }).json.message[0].name, `customer ${id} (${name}) after the restart`).toBe(name);
        }
        if (uploadId !== undefined) {
          const found = await call(served.url, VENDOR.search, { customer_id: uploadId });
          expect(isSuccess(found) && (found as { json: any }).json.message[0].name).toBe('term-upload');
        }
        const unanswered = burstResults.flatMap((r, i) => (r.answered ? [] : [`burst ${i}: ${r.error}`]));
        console.log(`SIGTERM: stopped in ${Math.round(stoppedMs)} ms; ${answered.length} of 50 requests answered Success; upload answered ${uploadResult.status}; unanswered: ${unanswered.join(', ') || 'none'}`);
      } finally {
        await killServed(served);
        await temp.remove();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
