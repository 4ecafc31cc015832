import { ContractFailure, fail, skip, type Check } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { componentSchema } from '../../src/spec.js';
import { NoAnswer, type Exchange } from '../../src/contract/vendor-client.js';
import { specValidator } from '../../src/validation/ajv.js';
import type { ErrorCode } from '../../src/errors.js';
import { recentWindows } from '../support/discovery.js';
import type { RunState } from '../support/state.js';

/** Long enough to tell from a normal answer, short enough to keep the run fast. */
const LATENCY_MS = 300;
/** How long the hang check waits before calling it a hang. */
const HANG_TIMEOUT_MS = 500;

function lastDay(context: CheckContext) {
  const [window] = recentWindows(context);
  return { start_date: window!.start_date, end_date: window!.end_date };
}

function fault(value: string) {
  return { headers: { 'X-Sandbox-Fault': value } };
}

/**
 * A sandbox started with --no-header-faults answers as if the header were not there, as it
 * should: the header checks are skipped saying so (asked once per run, with a ServerFailure).
 */
async function needsHeaderFaults(context: CheckContext, state: RunState): Promise<void> {
  state.headerFaults ??= context
    .send('selectCustomers', lastDay(context), fault('ServerFailure'))
    .then((exchange) => exchange.headers.get('x-sandbox-error') === 'ServerFailure');
  if (!(await state.headerFaults)) {
    skip('this sandbox ignores X-Sandbox-Fault (started with --no-header-faults, to emulate the vendor strictly): header faults do not apply to it; fault rules (POST /__sandbox/faults) still do');
  }
}

/** A header the sandbox did not act on after all: said as such, rather than as a wrong answer. */
function failIfIgnored(context: CheckContext, header: string, exchange: Exchange): void {
  if (exchange.status === 200 && specValidator('CustomerList')(exchange.json)) {
    fail(`X-Sandbox-Fault: ${header} was ignored: selectCustomers answered normally (${context.summary(exchange)}). A sandbox started with --no-header-faults ignores the header: run the suite with --skip faults against it`);
  }
}

/** The request must get no answer: `reason` says how it must end. */
async function expectNoAnswer(context: CheckContext, header: string, reason: NoAnswer['reason'], timeoutMs?: number): Promise<void> {
  try {
    const exchange = await context.send('selectCustomers', lastDay(context), { ...fault(header), ...(timeoutMs ? { timeoutMs } : {}) });
    failIfIgnored(context, header, exchange);
    fail(`X-Sandbox-Fault: ${header} was answered (${context.summary(exchange)}); the connection must end without an answer`);
  } catch (error) {
    if (error instanceof ContractFailure) throw error;
    if (!(error instanceof NoAnswer)) throw error;
    if (error.reason !== reason) fail(`X-Sandbox-Fault: ${header} ended with "${error.message}"; expected a ${reason === 'timeout' ? 'hang until the client gives up' : 'dropped connection'}`);
  }
}

function connectionCheck(mode: 'reset' | 'close' | 'hang'): Check<RunState> {
  return {
    id: `faults.connection-${mode}`,
    title: `X-Sandbox-Fault: connection=${mode} ${mode === 'hang' ? 'never answers' : 'drops the connection without an answer'}`,
    group: 'sandbox-only',
    source: 'fact',
    tags: ['faults'],
    requires: ['faults'],
    async run(context, state) {
      await needsHeaderFaults(context, state);
      await expectNoAnswer(context, `connection=${mode}`, mode === 'hang' ? 'timeout' : 'connection', mode === 'hang' ? HANG_TIMEOUT_MS : undefined);
    },
  };
}

export const faultChecks: Array<Check<RunState>> = [
  {
    id: 'faults.header-errors',
    title: 'X-Sandbox-Fault answers each error code of the spec instead of the operation (ServerFailure with HTTP 500)',
    group: 'sandbox-only',
    source: 'fact',
    tags: ['faults', 'errors'],
    requires: ['faults'],
    async run(context, state) {
      await needsHeaderFaults(context, state);
      for (const code of componentSchema('ErrorCode').enum as ErrorCode[]) {
        const exchange = await context.send('selectCustomers', lastDay(context), fault(code));
        failIfIgnored(context, code, exchange);
        context.expectFailure('selectCustomers', exchange, { code, situation: `X-Sandbox-Fault: ${code}` });
      }
    },
  },
  {
    id: 'faults.latency',
    title: `X-Sandbox-Fault: latency=${LATENCY_MS} holds a normal answer back that long`,
    group: 'sandbox-only',
    source: 'fact',
    tags: ['faults'],
    requires: ['faults'],
    async run(context, state) {
      await needsHeaderFaults(context, state);
      const exchange = await context.send('selectCustomers', lastDay(context), fault(`latency=${LATENCY_MS}`));
      context.expectSuccess('selectCustomers', exchange);
      if (exchange.elapsedMs < LATENCY_MS) {
        fail(`X-Sandbox-Fault: latency=${LATENCY_MS} was answered after ${Math.round(exchange.elapsedMs)} ms (a sandbox started with --no-header-faults ignores the header: run the suite with --skip faults against it)`);
      }
    },
  },
  connectionCheck('reset'),
  connectionCheck('close'),
  connectionCheck('hang'),
  {
    id: 'faults.rule-schedule',
    title: 'a fault rule with after=1, times=2 lets one call through, fails the next two with ServerFailure, then recovers',
    group: 'sandbox-only',
    source: 'fact',
    tags: ['faults', 'errors'],
    requires: ['faults'],
    async run(context) {
      // Scoped to the run's key and one operation, so other users of the sandbox are not hit.
      const key = context.keyFor('selectCustomers');
      const { id } = await context.sandbox.faults.add({ operation: 'selectCustomers', key, error: 'ServerFailure', after: 1, times: 2 });
      if (typeof id !== 'string') fail(`POST /__sandbox/faults answered no rule id; expected the rule's id`);
      try {
        const body = lastDay(context);
        const expected = ['success', 'ServerFailure', 'ServerFailure', 'success'] as const;
        for (const [index, outcome] of expected.entries()) {
          const exchange = await context.send('selectCustomers', body);
          const call = `call ${index + 1} of 4 under the rule {after: 1, times: 2}`;
          try {
            if (outcome === 'success') context.expectSuccess('selectCustomers', exchange);
            else context.expectFailure('selectCustomers', exchange, { code: outcome, situation: call });
          } catch (error) {
            if (error instanceof ContractFailure) fail(`${call}: ${error.message}`);
            throw error;
          }
        }
      } finally {
        // A rule that fired `times` times removes itself; deleting it again answers 404, which is fine.
        await context.sandbox.faults.remove(id).catch(() => undefined);
      }
    },
  },
];
