import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox.js';
import { builtInProfile, isBuiltInProfile, resolveProfile } from '../vendor/profile.js';
import { CONTRACT_USAGE, parseContractArgs, secretArguments, UsageError, type ContractOptions } from './command-args.js';
import type { ContractSuite } from './check.js';
import { defaultExpectation, type Expectation } from './expectation.js';
import { redactor } from './redact.js';
import { jsonReport } from './report-json.js';
import { junitReport } from './report-junit.js';
import { textFooter, textHeader, textReport, textResult } from './report-text.js';
import { runContract, newRunId, type CheckResult } from './runner.js';
import { allKeys, describeTarget, hasOperationKey, probeSandbox, sandboxDefaultKeys, type SandboxProbe, type Target } from './target.js';

export type CommandIo = { stdout: (text: string) => void; stderr: (text: string) => void };

const PROCESS_IO: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * `kapture-sandbox contract ...`: parses the arguments, finds out what the target is, runs the
 * suite, prints the report, writes JUnit when asked. Resolves to the exit status.
 *
 * @example
 * const status = await runContractCommand(contractSuite, ['--target', 'http://127.0.0.1:4010', '--reporter', 'junit', '--output', 'contract.xml']);
 */
export async function runContractCommand(
  suite: ContractSuite<unknown>,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = PROCESS_IO,
): Promise<number> {
  let options: ContractOptions | 'help';
  try {
    options = parseContractArgs(args, env);
  } catch (error) {
    const message = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (error as Error).message : String(error);
    // The message may quote an argument, and some arguments are keys.
    io.stderr(`kapture-sandbox contract: ${redactor(secretArguments(args))(message).replace(/\.$/, '')}. Run "kapture-sandbox contract --help".\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(`${CONTRACT_USAGE}\nchecks, in the order they run:\n${suite.checks.map((c) => `  [${c.source}] ${c.id}: ${c.title}`).join('\n')}\n`);
    return 0;
  }
  const redact = redactor([...allKeys(options.keys), ...(options.adminToken ? [options.adminToken] : [])]);
  const out = (text: string) => io.stdout(redact(text));
  let sandbox: Sandbox | undefined;
  try {
    let baseUrl = options.target;
    if (baseUrl === undefined) {
      sandbox = await startSandbox({ port: 0, inMemory: true });
      baseUrl = sandbox.url;
      if (options.reporter === 'text' || options.output) out(`no --target: started a throwaway in-memory sandbox at ${baseUrl}\n`);
    }
    const probe = await probeSandbox(baseUrl, options.adminToken);
    if (probe.unreachable !== undefined) {
      io.stderr(redact(`kapture-sandbox contract: cannot reach ${baseUrl} (${probe.unreachable}): is it running, and is the URL right?\n`));
      return 1;
    }
    if (probe.adminTokenRefused) {
      const what = options.adminToken ? 'refused the admin token given' : 'requires its admin token';
      io.stderr(`kapture-sandbox contract: ${baseUrl} is a kapture-sandbox that ${what} (GET /__sandbox/health answered 401): pass --admin-token TOKEN (or set KAPTURE_SANDBOX_ADMIN_TOKEN) with the token it was started with.\n`);
      return 2;
    }
    // The sandbox this command started has the default keys, whatever keys the environment holds for another target.
    const keys = sandbox ? sandboxDefaultKeys() : options.keys;
    const target = describeTarget({ baseUrl, probe, keys, allowWrites: options.allowWrites, stateless: options.stateless });
    if (target.kind !== 'sandbox' && !hasOperationKey(target.keys)) {
      io.stderr(`kapture-sandbox contract: no key for ${baseUrl}, which is not a sandbox: pass --key KEY or set KAPTURE_AUTH_KEY (or one key per operation: --key-for searchCustomer=KEY). Run "kapture-sandbox contract --help".\n`);
      return 2;
    }
    const expectation = chooseExpectation(target, probe, options.profile);
    const streamText = options.reporter === 'text' || options.output !== undefined;
    const runId = newRunId();
    if (streamText) out(textHeader(target, runId, { profile: expectation.label, mode: expectation.mode, ...(expectation.why ? { why: expectation.why } : {}) }));
    let previous: CheckResult | undefined;
    const report = await runContract({
      suite,
      target,
      expectation,
      runId,
      customerIds: options.customerIds,
      consistencyTimeoutMs: options.consistencyTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      skip: options.skip,
      adminToken: options.adminToken,
      onResult: (result) => {
        if (streamText) out(textResult(result, previous));
        previous = result;
      },
    });
    if (streamText) out(textFooter(report));
    if (options.reporter === 'junit') {
      const xml = redact(junitReport(report));
      if (options.output === undefined) io.stdout(xml);
      else writeReport(options.output, xml);
    } else if (options.output !== undefined) {
      writeReport(options.output, redact(textReport(target, report)));
    }
    if (options.reportJson !== undefined) writeReport(options.reportJson, redact(jsonReport(report)));
    return report.ok ? 0 : 1;
  } catch (error) {
    io.stderr(redact(`kapture-sandbox contract: ${(error as Error).message}\n`));
    return 1;
  } finally {
    await sandbox?.close();
  }
}

/**
 * What profile and decision checks are held to: the --profile given (a difference is drift); else
 * a sandbox's own built-in profile; else observed against the default, never failed.
 */
function chooseExpectation(target: Target, probe: SandboxProbe, given: string | undefined): Expectation {
  if (given !== undefined) return { profile: resolveProfile(given), label: given, mode: 'enforce' };
  if (target.kind === 'sandbox' && probe.profile !== undefined && !isBuiltInProfile(probe.profile)) {
    return {
      profile: builtInProfile('document'),
      label: 'document',
      mode: 'observe',
      why: `the sandbox answers by its own profile "${probe.profile}": pass --profile FILE, the file it was started with, to check it`,
    };
  }
  if (target.kind === 'sandbox' && isBuiltInProfile(probe.profile)) return { profile: builtInProfile(probe.profile), label: probe.profile, mode: 'enforce' };
  return defaultExpectation(target);
}

function writeReport(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new Error(`cannot write the report to ${file}: ${(error as Error).message}`);
  }
}

export { CONTRACT_USAGE, envName } from './command-args.js';
