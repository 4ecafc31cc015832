import { readdirSync, readFileSync } from 'node:fs';
import type { Response, Router } from 'express';
import { ControlError } from './errors.js';

const ASSETS = new URL('../console/', import.meta.url);

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/**
 * The page may run only the sandbox's own files: no inline script, nothing from another host,
 * so a value from the store that slipped into the page as markup still could not run.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The QA console: a page and its plain ES modules and CSS, read once from `src/console/` (no
 * build step). These load without the admin token (a browser cannot send a header when it opens a
 * page); the data requests the page makes carry it. Mounted before the token check for that reason.
 */
export function consoleRoutes(router: Router): void {
  const files = new Map<string, { type: string; bytes: Buffer }>();
  for (const name of readdirSync(ASSETS)) {
    const type = TYPES[name.split('.').pop() ?? ''];
    if (type && /^[a-z0-9-]+\.[a-z]+$/.test(name)) files.set(name, { type, bytes: readFileSync(new URL(name, ASSETS)) });
  }
  const send = (res: Response, name: string) => {
    const file = files.get(name);
    if (!file) throw new ControlError(404, `no console file "${name}": open GET /__sandbox/console`);
    res.set({
      'Content-Type': file.type,
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    res.send(file.bytes);
  };
  router.get('/console', (_req, res) => send(res, 'index.html'));
  router.get('/console/:file', (req, res) => send(res, req.params.file));
}
