import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/index.js';

/** Debian's chromium package (`apt-get install -y chromium`): playwright-core downloads no browser. */
export const CHROMIUM = process.env.KAPTURE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install Debian's package (apt-get update && apt-get install -y chromium; .ci/run does it), or set KAPTURE_CHROMIUM to a Chromium binary`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh tab (its own sessionStorage) that lets requests reach `origin` only; every URL it asked for is kept. */
export type ConsoleTab = { context: BrowserContext; page: Page; requested: string[]; foreign: string[]; errors: string[] };

export async function openTab(browser: Browser, origin: string): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const tab: ConsoleTab = { context, page: await context.newPage(), requested: [], foreign: [], errors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    tab.requested.push(url);
    if (url.startsWith(`${origin}/`)) return route.continue();
    tab.foreign.push(url);
    return route.abort();
  });
  tab.page.on('pageerror', (error) => tab.errors.push(error.message));
  tab.page.on('console', (message) => {
    // A refused control request (a 400 the page reports) is logged by the browser too: not a page error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4')) tab.errors.push(message.text());
  });
  return tab;
}

/** Opens the console and waits until its first load is done. */
export async function openConsole(tab: ConsoleTab, origin: string): Promise<void> {
  await tab.page.goto(`${origin}/__sandbox/console`);
  await tab.page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
}

// Code run in the page is written as functions reaching the page's globals through globalThis: the
// tests are typechecked without the DOM library, and strings cannot be used (the console's
// Content-Security-Policy forbids evaluating them, which playwright's string predicates do).

/** Clicks a control and waits for "Last action" to report the outcome; answers that text. */
export async function act(page: Page, click: () => Promise<void>): Promise<string> {
  await page.evaluate(() => {
    (globalThis as any).document.getElementById('last-result').textContent = '';
  });
  await click();
  await page.waitForFunction(() => /: (done|refused)/.test((globalThis as any).document.getElementById('last-result').textContent), undefined, { timeout: 10_000 });
  return (await page.textContent('#last-result')) ?? '';
}

/** Waits until the text of `selector` contains `text` (the page's polling brings it). */
export async function waitForText(page: Page, selector: string, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([sel, wanted]) => [...(globalThis as any).document.querySelectorAll(sel)].some((node: { textContent: string }) => node.textContent.includes(wanted)),
    [selector, text] as const,
    { timeout },
  );
}


/** What a console test file works with: filled in by the hooks `consoleSession` registers. */
export type ConsoleSession = { browser: Browser; sandbox: Sandbox; tab: ConsoleTab; page: Page };

/**
 * Registers the hooks of a console test file: a browser and an in-memory sandbox for the file, the
 * console open in one tab, the sandbox reset before each test, and after each test no request to
 * another host and no error in the page.
 */
export function consoleSession(): ConsoleSession {
  const session = {} as ConsoleSession;
  beforeAll(async () => {
    [session.browser, session.sandbox] = await Promise.all([launchChromium(), startSandbox({ port: 0, inMemory: true })]);
    session.tab = await openTab(session.browser, session.sandbox.url);
    session.page = session.tab.page;
    await openConsole(session.tab, session.sandbox.url);
  }, 60_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.sandbox?.close();
  });
  beforeEach(() => session.sandbox.reset());
  afterEach(() => {
    const [foreign, errors] = [session.tab.foreign.splice(0), session.tab.errors.splice(0)];
    expect(foreign, 'requests to another host').toEqual([]);
    expect(errors, 'errors in the page').toEqual([]);
  });
  return session;
}
