import { fail, type Check } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { OPERATION_IDS, type OperationId } from '../../src/operations/ids.js';
import { recentWindows } from '../support/discovery.js';
import { newContact, newCustomer, UNKNOWN_CUSTOMER_ID } from '../support/records.js';
import type { RunState } from '../support/state.js';

/** A valid body for each operation (refused by its key before anything is stored). */
function validBodies(context: CheckContext): Record<OperationId, unknown> {
  const [lastDay] = recentWindows(context);
  return {
    addCustomer: newCustomer(context.runId, 'refused'),
    updateCustomer: { customer_id: UNKNOWN_CUSTOMER_ID, city: 'Pune' },
    selectCustomers: { start_date: lastDay!.start_date, end_date: lastDay!.end_date },
    searchCustomer: { customer_id: UNKNOWN_CUSTOMER_ID },
    addContacts: newContact(context.runId, UNKNOWN_CUSTOMER_ID, 'refused'),
  };
}

/** The tenant of the key the run uses, from the sandbox's key list. */
async function tenantOfRunKey(context: CheckContext): Promise<number> {
  const keys = await context.sandbox.keys.list();
  const own = context.keyFor('selectCustomers');
  const tenant = keys.find((k) => k.key === own)?.tenant;
  if (tenant === undefined) fail('GET /__sandbox/keys does not list the key the run uses for selectCustomers');
  return tenant;
}

export const sandboxKeyChecks: Array<Check<RunState>> = [
  {
    id: 'sandbox.key-errors-every-operation',
    title: 'every operation refuses an expired key (APIExpired) and a key not granted it (AuthKeyInvalid), keys made through /__sandbox/keys',
    group: 'sandbox-only',
    source: 'fact',
    tags: ['errors', 'keys'],
    requires: [],
    async run(context) {
      const tenant = await tenantOfRunKey(context);
      const expired = `contract-${context.runId}-expired`;
      const selectOnly = `contract-${context.runId}-select-only`;
      try {
        await context.sandbox.keys.add({ key: expired, tenant, expiresAt: '2000-01-01T00:00:00Z', name: `contract ${context.runId}` });
        await context.sandbox.keys.add({ key: selectOnly, tenant, operations: ['selectCustomers'], name: `contract ${context.runId}` });
        const bodies = validBodies(context);
        for (const operation of OPERATION_IDS) {
          await context.failure(operation, bodies[operation], { code: 'APIExpired', situation: 'a key that expired in 2000' }, { key: expired });
          if (operation === 'selectCustomers') continue;
          await context.failure(operation, bodies[operation], { code: 'AuthKeyInvalid', situation: 'a key granted selectCustomers only' }, { key: selectOnly });
        }
      } finally {
        // A key not made answers 404 here: nothing to remove.
        for (const key of [expired, selectOnly]) await context.sandbox.keys.remove(key).catch(() => undefined);
      }
    },
  },
];
