import { skip, type Check } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import type { OperationId } from '../../src/operations/ids.js';
import { recentWindows, someCustomerId } from '../support/discovery.js';
import { UNKNOWN_CUSTOMER_ID } from '../support/records.js';
import type { RunState } from '../support/state.js';

/** The two operations that read: refusing a key on them creates nothing. */
const READS: OperationId[] = ['searchCustomer', 'selectCustomers'];

async function readBodies(context: CheckContext, state: RunState): Promise<Record<string, unknown>> {
  const [lastDay] = recentWindows(context);
  return {
    searchCustomer: { customer_id: await someCustomerId(context, state) },
    selectCustomers: { start_date: lastDay!.start_date, end_date: lastDay!.end_date },
  };
}

export const readErrorChecks: Array<Check<RunState>> = [
  {
    id: 'errors.invalid-key',
    title: 'an unknown key is refused with AuthKeyInvalid (search, select)',
    group: 'read-only',
    source: 'fact',
    tags: ['errors', 'keys'],
    requires: ['vendor-errors'],
    async run(context, state) {
      const bodies = await readBodies(context, state);
      const key = `contract-unknown-key-${context.runId}`;
      for (const operation of READS) {
        await context.failure(operation, bodies[operation], { code: 'AuthKeyInvalid', situation: 'a key the account does not have' }, { key });
      }
    },
  },
  {
    id: 'errors.missing-key',
    title: 'a request without a key is refused with AuthKeyInvalid',
    group: 'read-only',
    source: 'fact',
    tags: ['errors', 'keys'],
    requires: ['vendor-errors'],
    async run(context, state) {
      const bodies = await readBodies(context, state);
      await context.failure('searchCustomer', bodies.searchCustomer, { code: 'AuthKeyInvalid', situation: 'no Authorization header' }, { key: null });
    },
  },
  {
    id: 'errors.key-expired',
    title: 'an expired key is refused with APIExpired (search, select)',
    group: 'read-only',
    source: 'fact',
    tags: ['errors', 'keys'],
    requires: ['vendor-errors'],
    async run(context, state) {
      const key = context.expiredKey();
      const bodies = await readBodies(context, state);
      for (const operation of READS) {
        await context.failure(operation, bodies[operation], { code: 'APIExpired', situation: 'the expired key' }, { key });
      }
    },
  },
  {
    id: 'errors.key-not-granted',
    title: "a key configured for one API is refused by another with AuthKeyInvalid (one key per operation)",
    group: 'read-only',
    source: 'fact',
    tags: ['errors', 'keys'],
    requires: ['vendor-errors'],
    async run(context, state) {
      const own = context.target.keys.byOperation ?? {};
      const pair = READS.flatMap((granted) =>
        READS.filter((other) => other !== granted && own[granted] !== undefined && own[granted] !== (own[other] ?? context.target.keys.default)).map((other) => ({ granted, other })),
      )[0];
      if (!pair) {
        skip('needs two API keys of this account configured for different operations: pass --key-for searchCustomer=KEY together with another key for selectCustomers (--key-for selectCustomers=KEY or --key)');
      }
      const bodies = await readBodies(context, state);
      await context.failure(pair.other, bodies[pair.other], { code: 'AuthKeyInvalid', situation: `the key configured for ${pair.granted} only` }, { key: own[pair.granted]! });
    },
  },
  {
    id: 'errors.req-field-missing',
    title: 'a read without its mandatory field is refused with ReqFieldMissing (select without start_date, search without customer_id)',
    group: 'read-only',
    source: 'fact',
    tags: ['errors'],
    requires: ['vendor-errors'],
    async run(context) {
      const [lastDay] = recentWindows(context);
      await context.failure('selectCustomers', { end_date: lastDay!.end_date }, { code: 'ReqFieldMissing', situation: 'no start_date' });
      await context.failure('searchCustomer', {}, { code: 'ReqFieldMissing', situation: 'no customer_id' });
    },
  },
  {
    id: 'errors.customer-not-found',
    title: 'searching a customer the account does not have answers CustomerNotFound',
    group: 'read-only',
    source: 'fact',
    tags: ['errors', 'search'],
    requires: ['vendor-errors', 'stateful'],
    async run(context) {
      await context.failure('searchCustomer', { customer_id: UNKNOWN_CUSTOMER_ID }, { code: 'CustomerNotFound', situation: `customer_id ${UNKNOWN_CUSTOMER_ID}, which no account has` });
    },
  },
];
