import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { act, consoleSession, waitForText } from './helpers/browser.js';
import { PATHS, vendor } from './helpers/sandbox-client.js';

// The QA console in a real browser (Debian's chromium, driven by playwright-core): every preset
// is clicked and the vendor's answer checked from outside the page.
const run = promisify(execFile);
const session = consoleSession();
let sandbox: Sandbox;
let page: Page;
beforeAll(() => {
  ({ sandbox, page } = session);
});

/** A search of the sample customer, from outside the page; a cut connection answers the error's name. */
async function search(options: { key?: string; timeoutMs?: number } = {}) {
  try {
    const answer = await fetch(`${sandbox.url}${PATHS.search}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${options.key ?? 'sandbox-key'}`, 'Content-Type': 'application/json' },
      body: '{"customer_id":"272930"}',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const body = (await answer.json()) as { status?: string };
    return { status: answer.status, error: answer.headers.get('x-sandbox-error'), ok: body.status === 'success' };
  } catch (error) {
    return { status: 0, error: (error as Error).name, ok: false };
  }
}

const button = (name: string) => page.getByRole('button', { name, exact: true });
const click = (name: string) => act(page, () => button(name).click());

describe('Scenarios: every preset changes what the vendor answers', () => {
  it.each([
    ['APIExpired', 200],
    ['AuthKeyInvalid', 200],
    ['ServerFailure', 500],
    ['ReqFieldMissing', 200],
    ['CustomerNotFound', 200],
  ])('%s: one click, then every call answers it', async (code, status) => {
    expect(await search()).toMatchObject({ ok: true, error: null });
    expect(await click(code)).toContain('done (HTTP 201)');
    expect(await search()).toMatchObject({ status, error: code, ok: false });
    await waitForText(page, '#rules-body', `error: ${code}`);
  });

  it('Add latency holds the answer back by the milliseconds given', async () => {
    await page.fill('#latency-ms', '400');
    await click('Add latency');
    const started = performance.now();
    expect(await search()).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
  });

  it.each([
    ['Connection reset', 'TypeError'],
    ['Connection close', 'TypeError'],
    ['Connection hang', 'TimeoutError'],
  ])('%s cuts the call (the client sees %s)', async (name, seen) => {
    await click(name);
    expect(await search({ timeoutMs: 1_500 })).toMatchObject({ status: 0, error: seen });
  });

  it('Fail the next N calls: N failures with the chosen code, then all is well', async () => {
    await page.fill('#next-times', '2');
    await page.selectOption('#schedule-error', 'CustomerNotFound');
    await click('Fail the next N calls');
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push((await search()).error);
    expect(errors).toEqual(['CustomerNotFound', 'CustomerNotFound', null, null]);
  });

  it('Fail the Nth call: only that call fails', async () => {
    await page.fill('#nth-call', '3');
    await page.selectOption('#schedule-error', 'ServerFailure');
    await click('Fail the Nth call');
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push((await search()).error);
    expect(errors).toEqual([null, null, 'ServerFailure', null]);
  });

  it('Flaky: fails some calls, the same ones for the same seed', async () => {
    const pattern = async () => {
      const errors = [];
      for (let i = 0; i < 30; i++) errors.push((await search()).error);
      return errors;
    };
    await page.selectOption('#schedule-error', 'ServerFailure');
    await page.fill('#flaky-probability', '0.5');
    await page.fill('#flaky-seed', '7');
    await click('Flaky');
    const first = await pattern();
    expect(first).toContain('ServerFailure');
    expect(first).toContain(null);
    await sandbox.faults.clear();
    await click('Flaky');
    expect(await pattern()).toEqual(first);
  });

  it('the scope picker narrows the rule to an operation, a key or a tenant', async () => {
    await page.selectOption('#scope-operation', 'selectCustomers');
    await click('APIExpired');
    expect(await search()).toMatchObject({ ok: true });
    await page.selectOption('#scope-operation', '');
    await sandbox.faults.clear();
    await page.fill('#scope-key', 'search-only-key');
    await click('ServerFailure');
    expect(await search()).toMatchObject({ ok: true });
    expect(await search({ key: 'search-only-key' })).toMatchObject({ error: 'ServerFailure' });
    await page.fill('#scope-key', '');
    await sandbox.faults.clear();
    await page.fill('#scope-tenant', '777');
    await click('ServerFailure');
    expect(await search()).toMatchObject({ ok: true });
    await page.fill('#scope-tenant', '');
    expect((await sandbox.faults.list()).map((r) => r.tenant)).toEqual([777]);
  });

  it('bad input is refused with the reason, and adds no rule', async () => {
    await page.fill('#nth-call', '0');
    expect(await click('Fail the Nth call')).toMatch(/refused \(HTTP 400\): invalid body .*after/);
    await page.fill('#nth-call', '3');
    expect(await sandbox.faults.list()).toEqual([]);
  });

  it('the curl shown does what the click did', async () => {
    await page.selectOption('#scope-operation', 'searchCustomer');
    await click('APIExpired');
    await page.selectOption('#scope-operation', '');
    const rules = await sandbox.faults.list();
    const curl = (await page.textContent('#last-curl')) ?? '';
    expect(curl).toBe(`curl -s -X POST '${sandbox.url}/__sandbox/faults' -H 'Content-Type: application/json' -d '{"operation":"searchCustomer","error":"APIExpired"}'`);
    await sandbox.faults.clear();
    await run('bash', ['-c', curl]);
    expect((await sandbox.faults.list()).map(({ id, seed, ...rule }) => rule)).toEqual(rules.map(({ id, seed, ...rule }) => rule));
  });

  it('is usable by keyboard: Tab to a preset, Enter', async () => {
    await button('CustomerNotFound').focus();
    await page.keyboard.press('Shift+Tab');
    await act(page, async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    });
    expect(await search()).toMatchObject({ error: 'CustomerNotFound' });
  });

  it('every control has an accessible name with the words shown', async () => {
    const unnamed = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('button, input, select')]
        .filter((c) => !c.labels?.length && !c.getAttribute('aria-label') && !c.textContent.trim())
        .map((c) => c.outerHTML),
    );
    expect(unnamed).toEqual([]);
    const mismatched = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('button[aria-label]')].filter((b) => !b.getAttribute('aria-label').startsWith(b.textContent.trim())).map((b) => b.outerHTML),
    );
    expect(mismatched).toEqual([]);
    for (const heading of ['Scenarios', 'Fault rules', 'Journal', 'Keys', 'Customers', 'Snapshots']) {
      expect(await page.getByRole('heading', { name: heading, exact: true, level: 2 }).count(), heading).toBe(1);
    }
  });
});

describe('Fault rules', () => {
  it('show matched and fired as calls come in, and can be removed', async () => {
    await page.fill('#nth-call', '2');
    await click('Fail the Nth call');
    await search();
    const id = (await sandbox.faults.list())[0]!.id;
    await waitForText(page, `tr[data-rule="${id}"] td[data-count="matched"]`, '1');
    expect(await page.textContent(`tr[data-rule="${id}"] td[data-count="fired"]`)).toBe('0');
    await act(page, () => page.getByRole('button', { name: `Remove ${id}` }).click());
    expect(await sandbox.faults.list()).toEqual([]);
    await waitForText(page, '#rules-empty:not([hidden])', 'No rules');
  });
});
