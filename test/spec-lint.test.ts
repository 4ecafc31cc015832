import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Redocly's linter finds nothing in the spec: what it is told to pass over (the vendor document's
// verbatim samples, the nested add-update's part schemas) is listed, with why, in
// .redocly.lint-ignore.yaml at the repository root.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const SPEC = 'openapi/kapture-customer-api.yaml';

type Lint = { totals: { errors: number; warnings: number; ignored: number }; problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }> };

async function lint(cwd: string, spec: string): Promise<Lint> {
  // No telemetry and no update check: the tests reach no host.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const { stdout } = await run(process.execPath, [CLI, 'lint', spec, '--format', 'json'], { cwd, env, timeout: 60_000 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Lint;
}

describe('the spec under Redocly\'s linter', () => {
  it('has no error and no warning', async () => {
    const report = await lint(ROOT, SPEC);
    expect(report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(report.totals.ignored).toBeGreaterThan(0);
  }, 90_000);

  it('still finds the vendor samples without the ignore file (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapture-lint-'));
    try {
      writeFileSync(join(dir, 'spec.yaml'), readFileSync(join(ROOT, SPEC)));
      const report = await lint(dir, 'spec.yaml');
      expect(report.totals.warnings).toBeGreaterThan(0);
      expect(report.problems.some((p) => p.location[0]?.pointer.includes('/examples/add/value'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
