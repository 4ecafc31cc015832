import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/ is where comments send a reader for the reasons behind the code: every file it names must
// be in the repository, or the pointer leads nowhere (a file renamed, the doc not updated).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
const NAMED = /`((?:src|openapi|test|seeds|contracts|bench|bin|lib|docs|scripts|postman)\/[^`\s]+)`/g;

/** A path as docs write it; a glob (`openapi/profiles/*.json`) must at least have its folder. */
function exists(path: string): boolean {
  const star = path.indexOf('*');
  return existsSync(join(ROOT, star < 0 ? path : dirname(path.slice(0, star + 1))));
}

describe('docs/', () => {
  it('has the documents the README and the comments point at', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['design.md', 'vendor-facts.md', 'vendor-path.md']));
  });

  it.each(DOCS)('%s names only files the repository holds', (name) => {
    const text = readFileSync(join(ROOT, 'docs', name), 'utf8');
    const named = [...new Set([...text.matchAll(NAMED)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !exists(path))).toEqual([]);
  });
});
