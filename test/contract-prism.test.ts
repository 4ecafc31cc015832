import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runContractCommand } from '../src/contract/command.js';
import { runContract, type ContractReport } from '../src/contract/runner.js';
import { describeTarget, probeSandbox, type SandboxProbe } from '../src/contract/target.js';
import { SPEC_PATH } from '../src/spec.js';
import { startPrism, type PrismServer } from './helpers/prism.js';

// "Same assertions, several targets": the suite against Prism serving the same spec. A stateless
// mock answers fixed examples, so only the checks that need no state and no vendor errors run,
// chosen by capability; those must pass. Prism starts once for the file (~2.5 s).

let prism: PrismServer;
let probe: SandboxProbe;
beforeAll(async () => {
  prism = await startPrism(SPEC_PATH);
  probe = await probeSandbox(prism.url);
}, 60_000);
afterAll(() => prism?.close());

/** What a stateless mock can satisfy: answer shapes, dates of the examples, array bodies. */
const MOCK_CAPABLE = ['search.answer', 'select.answer', 'select.array-body', 'dates.gson', 'dates.calendar-month', 'add.object-body', 'add.array-body', 'contacts.answer'];

function ids(report: ContractReport, status: string): string[] {
  return report.results.filter((r) => r.status === status).map((r) => r.id);
}

describe('the contract suite against Prism', () => {
  it('does not mistake Prism for a sandbox, although Prism answers the health example', async () => {
    const health = await (await fetch(`${prism.url}/__sandbox/health`)).json();
    expect(health).toMatchObject({ status: 'ok', sandbox: 'kapture-sandbox' });
    expect(probe).toEqual({ sandbox: false, faults: false });
  });

  it('as a stateless mock: runs the capable checks, which pass, and skips the rest saying why', async () => {
    const target = describeTarget({ baseUrl: prism.url, probe, keys: { default: 'any-key' }, allowWrites: true, stateless: true });
    expect([...target.capabilities]).toEqual(['writes']);
    const report = await runContract({ suite: contractSuite, target, consistencyTimeoutMs: 0 });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(ids(report, 'passed')).toEqual(MOCK_CAPABLE);
    for (const result of report.results.filter((r) => r.status === 'skipped')) {
      expect(result.message, result.id).toMatch(/stateless mock|answers its own 401\/422|control surface|fault injection/);
    }
  });

  it('taken for a real service, fails: the skipped checks are not vacuous', async () => {
    const target = describeTarget({ baseUrl: prism.url, probe, keys: { default: 'any-key' }, allowWrites: false, stateless: false });
    const report = await runContract({ suite: contractSuite, target, consistencyTimeoutMs: 0 });
    const failed = Object.fromEntries(report.results.filter((r) => r.status === 'failed').map((r) => [r.id, r.message]));
    expect(failed['errors.invalid-key']).toMatch(/^searchCustomer with a key the account does not have answered success; it must fail with AuthKeyInvalid/);
    expect(failed['select.within-range']).toMatch(/answered customer 286829, created Mar 3, 2016 1:38:59 PM, outside that range/);
  });

  it('runs from the command line with --stateless --allow-writes and exits 0', async () => {
    let stdout = '';
    const code = await runContractCommand(contractSuite, ['--target', prism.url, '--key', 'prism-key-1234', '--stateless', '--allow-writes'], {}, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stdout += text),
    });
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('(a stateless mock, writes allowed (--allow-writes))');
    const total = contractSuite.checks.length;
    expect(stdout).toContain(`${total} checks: ${MOCK_CAPABLE.length} passed, 0 failed, ${total - MOCK_CAPABLE.length} skipped`);
    expect(stdout).not.toContain('prism-key-1234');
  });
});
