import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { act, launchChromium, openConsole, openTab, waitForText } from './helpers/browser.js';
import { PATHS, vendor } from './helpers/sandbox-client.js';

// The admin-token flow and the full-journal load, each against a sandbox of its own.
const TOKEN = 'console-s3cret-token';
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser?.close());

describe('with an admin token', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, inMemory: true, adminToken: TOKEN });
  });
  afterAll(() => sandbox?.close());

  it('the page asks for it, loads the data once given, sends it in a header only, and keeps it for the tab', async () => {
    const tab = await openTab(browser, sandbox.url);
    const { page } = tab;
    const sent: { url: string; token: string | undefined }[] = [];
    page.on('request', (request: Request) => sent.push({ url: request.url(), token: request.headers()['x-sandbox-admin-token'] }));
    await openConsole(tab, sandbox.url);
    await waitForText(page, '#token-status', 'This sandbox needs its admin token');
    expect(await page.locator('#keys-body tr').count()).toBe(0);

    await page.getByLabel('Admin token (kept for this tab only)').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await waitForText(page, '#keys-body', 'sandbox-key');
    await waitForText(page, '#token-status', 'A token is kept for this tab');
    expect(await page.inputValue('#token-input')).toBe('');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('kapture-sandbox-admin-token'))).toBe(TOKEN);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);

    // A write carries it; the curl shown names the variable, not the secret.
    expect(await act(page, () => page.getByRole('button', { name: 'APIExpired' }).click())).toContain('done (HTTP 201)');
    expect(await sandbox.faults.list()).toHaveLength(1);
    const curl = (await page.textContent('#last-curl')) ?? '';
    expect(curl).toContain('-H "X-Sandbox-Admin-Token: $KAPTURE_SANDBOX_ADMIN_TOKEN"');
    expect(curl).not.toContain(TOKEN);

    // Same tab after a reload: still there. A new tab (context): asked again.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await waitForText(page, '#keys-body', 'sandbox-key');
    const other = await openTab(browser, sandbox.url);
    await openConsole(other, sandbox.url);
    await waitForText(other.page, '#token-status', 'needs its admin token');
    await other.context.close();

    const data = sent.filter((r) => !r.url.includes('/__sandbox/console'));
    expect(data.length).toBeGreaterThan(5);
    expect(sent.filter((r) => r.url.includes(TOKEN))).toEqual([]);
    // Every data request after the token was given carried it.
    const firstWithToken = data.findIndex((r) => r.token !== undefined);
    expect(firstWithToken).toBeGreaterThan(0);
    expect(data.slice(firstWithToken).filter((r) => r.token !== TOKEN)).toEqual([]);
    expect(sent.filter((r) => r.url.includes('/__sandbox/console')).every((r) => r.token === undefined || r.token === TOKEN)).toBe(true);
    expect(tab.foreign).toEqual([]);
    await tab.context.close();
  });
});

describe('a full journal', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, inMemory: true, journalSize: 1000 });
    // 1,100 requests: the ring is full (1,000), a mix of successes and failures.
    for (let batch = 0; batch < 22; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key: i % 5 === 0 ? 'expired-key' : 'sandbox-key' }),
        ),
      );
    }
  }, 120_000);
  afterAll(() => sandbox?.close());

  it('loads with its 1,000 entries (first paint and load time printed, not asserted)', async () => {
    expect(await sandbox.journal.list()).toHaveLength(1000);
    const tab = await openTab(browser, sandbox.url);
    const started = Date.now();
    await openConsole(tab, sandbox.url);
    const ready = Date.now() - started;
    await waitForText(tab.page, '#journal-count', '1000 requests');
    const timing = await tab.page.evaluate(() => {
      const perf = (globalThis as any).performance;
      const paint = perf.getEntriesByType('paint').find((e: { name: string }) => e.name === 'first-contentful-paint');
      const navigation = perf.getEntriesByType('navigation')[0];
      return { firstContentfulPaint: Math.round(paint?.startTime ?? -1), domContentLoaded: Math.round(navigation.domContentLoadedEventEnd), rows: (globalThis as any).document.querySelectorAll('#journal-list li').length };
    });
    expect(timing.rows).toBe(1000);
    console.log(`console with a full journal (1,000 entries): first contentful paint ${timing.firstContentfulPaint} ms, DOMContentLoaded ${timing.domContentLoaded} ms, all sections loaded ${ready} ms (this machine, shared cores)`);
    expect(tab.foreign).toEqual([]);
    expect(tab.requested.every((url) => url.startsWith(`${sandbox.url}/__sandbox/`))).toBe(true);
    await tab.context.close();
  }, 60_000);
});
