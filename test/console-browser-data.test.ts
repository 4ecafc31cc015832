import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { act, consoleSession, waitForText } from './helpers/browser.js';
import { PATHS, vendor } from './helpers/sandbox-client.js';

// The console's Journal, Keys, Customers and Snapshots sections in a real browser, and the values
// from the store shown as text (never run as markup).
const session = consoleSession();
let sandbox: Sandbox;
let page: Page;
beforeAll(() => {
  ({ sandbox, page } = session);
});

const XSS = '<img src=x onerror=window.__xss=1>';
const entry = (id: number) => page.locator(`details[data-entry="${id}"]`);
const latestId = async () => (await sandbox.journal.list({ limit: 1 }))[0]!.id;

describe('Journal', () => {
  it('shows a request made outside the page without a reload, key redacted, bodies and warnings on opening', async () => {
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Journal Probe', phone: '9000011111', email: 'probe@example.in', nickname: 'x' });
    expect(added.json.Status).toBe('Success');
    const id = await latestId();
    await entry(id).waitFor({ timeout: 10_000 });
    const summary = (await entry(id).locator('summary').textContent()) ?? '';
    expect(summary).toContain('addCustomer');
    expect(summary).toContain('1 warning');
    expect(summary).not.toContain('sandbox-key');
    expect(summary).toMatch(/key sa…#[0-9a-f]+/);
    await entry(id).locator('summary').click();
    // The details are built on the toggle event: wait for them rather than read at once.
    await entry(id).locator('.entry').waitFor({ timeout: 10_000 });
    const opened = (await entry(id).textContent()) ?? '';
    expect(opened).toContain('"name": "Journal Probe"');
    expect(opened).toContain('Customer Added Successfully');
    expect(opened).toContain('unknown field "nickname" ignored');
  });

  it("says which requests had today's shape", async () => {
    await vendor(sandbox, PATHS.search, { phone: '999999911' });
    const id = await latestId();
    await entry(id).waitFor({ timeout: 10_000 });
    expect(await entry(id).locator('summary').textContent()).toContain("searchCustomer (today's shape)");
  });

  it('shows the faults applied, and filters by error, operation and key', async () => {
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { headers: { 'X-Sandbox-Fault': 'ServerFailure' } });
    const failed = await latestId();
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key: 'expired-key' });
    const expired = await latestId();
    await vendor(sandbox, PATHS.select, { start_date: '2016-03-31', end_date: '2016-03-31' });
    const selected = await latestId();
    await entry(selected).waitFor({ timeout: 10_000 });
    expect(await entry(failed).locator('summary').textContent()).toContain('faults: header:ServerFailure');

    const shown = async () => page.locator('#journal-list details').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-entry'))));
    await page.selectOption('#journal-error', 'ServerFailure');
    await page.waitForFunction((id) => (globalThis as any).document.querySelectorAll('#journal-list details').length === 1 && (globalThis as any).document.querySelector(`details[data-entry="${id}"]`), failed);
    expect(await shown()).toEqual([failed]);
    expect(await page.textContent('#last-curl')).toBe(`curl -s '${sandbox.url}/__sandbox/journal?error=ServerFailure&limit=1000'`);
    await page.selectOption('#journal-error', '');
    await page.selectOption('#journal-operation', 'selectCustomers');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#journal-list details').length === 1);
    expect(await shown()).toEqual([selected]);
    await page.selectOption('#journal-operation', '');
    await page.fill('#journal-key', 'expired-key');
    await page.press('#journal-key', 'Enter');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#journal-list details').length === 1);
    expect(await shown()).toEqual([expired]);
    await page.fill('#journal-key', '');
    await page.press('#journal-key', 'Enter');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#journal-list details').length === 3);
  });
  it('keeps in step with the journal: a few new requests go on top, a burst bigger than one poll reloads, a clear empties it', async () => {
    const shownIds = () => page.locator('#journal-list details').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-entry'))));
    const journalIds = async () => (await sandbox.journal.list()).map((e) => e.id).reverse();
    const settled = async () => {
      const expected = await journalIds();
      await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#journal-list details').length === n, expected.length, { timeout: 10_000 });
      await waitForText(page, '#journal-list summary', `#${expected[0]} `);
      expect(await shownIds()).toEqual(expected);
    };
    const searches = (n: number) => Promise.all(Array.from({ length: n }, () => vendor(sandbox, PATHS.search, { customer_id: '272930' })));
    await searches(5);
    await settled();
    await searches(3);
    await settled();
    await searches(80);
    await settled();
    await sandbox.journal.clear();
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#journal-list details').length === 0, undefined, { timeout: 10_000 });
    await searches(2);
    await settled();
  });
});

describe('Keys', () => {
  it('lists, creates (tenant, operations, expiry, name, profile) and deletes keys', async () => {
    await waitForText(page, '#keys-body', 'search-only-key');
    await page.fill('#key-key', 'qa-browser');
    await page.fill('#key-tenant', '777');
    await page.getByRole('checkbox', { name: 'searchCustomer' }).check();
    await page.fill('#key-expires', '2030-01-01T00:00:00');
    await page.fill('#key-name', 'QA in a browser');
    await page.getByLabel('Profile').selectOption('current');
    expect(await act(page, () => page.getByRole('button', { name: 'Create key' }).click())).toContain('done (HTTP 201)');
    const created = (await sandbox.keys.list()).find((k) => k.key === 'qa-browser');
    const expiresAt = await page.evaluate(() => new Date('2030-01-01T00:00:00').toISOString());
    expect(created).toEqual({ key: 'qa-browser', tenant: 777, operations: ['searchCustomer'], expiresAt, name: 'QA in a browser', profile: 'current' });
    await waitForText(page, 'tr[data-key="qa-browser"]', 'QA in a browser');
    await waitForText(page, 'tr[data-key="qa-browser"]', 'current');
    await act(page, () => page.getByRole('button', { name: 'Delete key qa-browser' }).click());
    expect((await sandbox.keys.list()).map((k) => k.key)).not.toContain('qa-browser');
    await page.locator('tr[data-key="qa-browser"]').waitFor({ state: 'detached' });
  });
});

describe('Customers', () => {
  it.each([
    ['Kapture id', '272930'],
    ['source id', 'SRC-BROWSER'],
    ['phone', '9000022222'],
    ['email', 'Finder@Example.in'],
  ])('found by %s, shown as the vendor answers them', async (_by, q) => {
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Finder', phone: '9000022222', email: 'finder@example.in', customer_code: 'SRC-BROWSER' });
    const id = q === '272930' ? 272930 : Number(added.json['Kapture Customer Id']);
    await page.fill('#customer-tenant', '396');
    await page.fill('#customer-q', q);
    await page.getByRole('button', { name: 'Search customers' }).click();
    const item = page.locator(`#customer-list li[data-customer="${id}"]`);
    await item.waitFor({ timeout: 10_000 });
    await item.locator('summary').click();
    const shown = JSON.parse((await item.locator('pre').textContent()) ?? '');
    const searched = await vendor(sandbox, PATHS.search, { customer_id: String(id) });
    expect(shown).toEqual(searched.json.message[0]);
  });
});

describe('Snapshots and reset', () => {
  it('saves, restores and deletes a snapshot; reset empties the rules', async () => {
    await page.fill('#snapshot-name', 'before-qa');
    await act(page, () => page.getByRole('button', { name: 'Save snapshot' }).click());
    await waitForText(page, '#snapshots-body', 'before-qa');
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Later', phone: '9000033333', email: 'later@example.in' });
    const id = added.json['Kapture Customer Id'];
    await act(page, () => page.getByRole('button', { name: 'Restore before-qa' }).click());
    expect((await vendor(sandbox, PATHS.search, { customer_id: id })).headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    await act(page, () => page.getByRole('button', { name: 'Delete snapshot before-qa' }).click());
    expect(await sandbox.snapshots.list()).toEqual([]);
    await sandbox.faults.add({ error: 'ServerFailure' });
    expect(await act(page, () => page.getByRole('button', { name: 'Reset', exact: true }).click())).toContain('Reset the whole sandbox: done');
    expect(await sandbox.faults.list()).toEqual([]);
  });
});

describe('values from the store are text, never markup', () => {
  it(`a customer named ${XSS} is displayed, and nothing runs`, async () => {
    await vendor(sandbox, PATHS.addOrUpdate, { name: XSS, phone: '9000044444', email: 'xss@example.in' });
    await sandbox.keys.add({ key: 'xss-key', tenant: 396, name: '<script>window.__xss=2</script>' });
    await page.fill('#customer-q', 'xss@example.in');
    await page.getByRole('button', { name: 'Search customers' }).click();
    await waitForText(page, '#customer-list summary', XSS);
    await page.locator('#customer-list summary').first().click();
    await waitForText(page, '#customer-list pre', `"name": "${XSS}"`);
    const id = await latestId();
    await entry(id).locator('summary').click();
    await waitForText(page, `details[data-entry="${id}"] pre`, XSS);
    await act(page, () => page.getByRole('button', { name: 'APIExpired' }).click());
    await waitForText(page, 'tr[data-key="xss-key"]', '<script>window.__xss=2</script>');
    const ran = await page.evaluate(() => ({
      xss: (globalThis as any).__xss,
      images: (globalThis as any).document.querySelectorAll('main img, main script').length,
    }));
    expect(ran).toEqual({ xss: undefined, images: 0 });
  });
});

describe('the screenshot in the README', () => {
  it('is made from a console with a rule, a journal and a customer search', async () => {
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha Rao', phone: '9876543210', email: 'asha@example.in', city: 'Pune' });
    await page.fill('#customer-q', 'asha');
    await page.getByRole('button', { name: 'Search customers' }).click();
    await waitForText(page, '#customer-list', 'Asha Rao');
    await page.selectOption('#scope-operation', 'searchCustomer');
    await page.fill('#next-times', '3');
    await page.selectOption('#schedule-error', 'ServerFailure');
    await act(page, () => page.getByRole('button', { name: 'Fail the next N calls' }).click());
    await page.selectOption('#scope-operation', '');
    await vendor(sandbox, PATHS.search, { customer_id: '272930' });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Ravi', phone: '9812345678', email: 'ravi@example.in' }, { key: 'expired-key' });
    await vendor(sandbox, PATHS.select, { start_date: '2016-03-31', end_date: '2016-03-31' });
    await waitForText(page, '#journal-list', 'selectCustomers');
    await waitForText(page, '#rules-body td[data-count="fired"]', '1');
    mkdirSync('.tmp', { recursive: true });
    const target = process.env.KAPTURE_SCREENSHOT ?? '.tmp/console.png';
    await page.screenshot({ path: target });
    console.log(`console screenshot written to ${target}`);
  });
});
