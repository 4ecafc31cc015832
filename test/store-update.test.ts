import { beforeEach, describe, expect, it } from 'vitest';
import { seedData } from '../seeds/generate.js';
import type { CustomerRecord, StoreData } from '../src/records.js';
import type { Persistence } from '../src/store/persistence.js';
import { Store } from '../src/store/store.js';

// The store's change API: each change does its own bookkeeping (indexes, cached JSON, what the
// next commit writes), so no caller can forget a step. A persistence that records what it is given
// shows what a commit would make durable.

type Recorded = { lines: string[]; rewrites: number };

function recording(recorded: Recorded): Persistence {
  return {
    kind: 'memory',
    append: (line) => {
      recorded.lines.push(line);
      return Promise.resolve();
    },
    rewrite: () => {
      recorded.rewrites += 1;
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

const SEED: StoreData = seedData({ seed: 1, customers: 5 });
const TENANT = 396;
const bytesOf = (customer: CustomerRecord) => Buffer.from(JSON.stringify(customer));
const committed = (recorded: Recorded) => recorded.lines.map((line) => JSON.parse(line).commit.map((record: object) => Object.keys(record)[0]));

let recorded: Recorded;
let store: Store;
let asha: CustomerRecord;
beforeEach(() => {
  recorded = { lines: [], rewrites: 0 };
  store = new Store(structuredClone(SEED), recording(recorded));
  asha = {
    id: store.nextCustomerId(),
    cmId: TENANT,
    sourceId: 'crm-1',
    createdAt: '2026-11-29T06:30:00.000Z',
    name: 'Asha',
    contacts: [{ id: store.nextContactId(), createdAt: '2026-11-29T06:30:00.000Z', contactPerson: 'Asha', phone: '9811111111', email: 'asha@example.in', isPrimaryContact: true }],
  };
  store.insert(asha);
});

describe('Store.update', () => {
  it('re-indexes the customer: its new phone and email find it, the old ones no longer do', () => {
    store.update(asha, (draft) => {
      draft.contacts[0]!.phone = '9822222222';
      draft.contacts[0]!.email = 'Asha.R@example.in';
    });
    expect(store.customersByPhone(TENANT, '9822222222')).toEqual([asha]);
    expect(store.customersByPhone(TENANT, '9811111111')).toEqual([]);
    expect(store.customersByEmail(TENANT, 'asha.r@example.in')).toEqual([asha]);
    expect(store.customersByEmail(TENANT, 'asha@example.in')).toEqual([]);
    expect(store.customerBySource(TENANT, 'crm-1')).toBe(asha);
  });

  it('drops the JSON derived from the customer, and only from it', () => {
    const other = store.customersOf(TENANT)[0]! as CustomerRecord;
    const before = store.derived(asha, bytesOf);
    const otherBefore = store.derived(other, bytesOf);
    store.update(asha, (draft) => {
      draft.city = 'Pune';
    });
    expect(store.derived(asha, bytesOf)).not.toBe(before);
    expect(JSON.parse(store.derived(asha, bytesOf).toString()).city).toBe('Pune');
    expect(store.derived(other, bytesOf)).toBe(otherBefore);
  });

  it('records the customer for the next commit, once however often it changed', async () => {
    await store.commit();
    recorded.lines.length = 0;
    store.update(asha, (draft) => {
      draft.name = 'Asha R.';
    });
    store.update(asha, (draft) => {
      draft.city = 'Pune';
    });
    await store.commit();
    expect(committed(recorded)).toEqual([['put']]);
    expect(JSON.parse(recorded.lines[0]!).commit[0].put).toMatchObject({ id: asha.id, name: 'Asha R.', city: 'Pune' });
  });

  it('answers what the change answered, and makes no copy of the customer', () => {
    const answer = store.update(asha, (draft) => {
      expect(draft).toBe(asha);
      return draft.contacts.push({ id: store.nextContactId(), createdAt: asha.createdAt, contactPerson: 'Ravi', phone: '9833333333', email: '', isPrimaryContact: false });
    });
    expect(answer).toBe(2);
    expect(store.customersByPhone(TENANT, '9833333333')).toEqual([asha]);
  });

  it('still re-indexes when the change throws halfway', () => {
    expect(() =>
      store.update(asha, (draft) => {
        draft.contacts[0]!.phone = '9844444444';
        throw new Error('halfway');
      }),
    ).toThrow('halfway');
    expect(store.customersByPhone(TENANT, '9844444444')).toEqual([asha]);
    expect(store.customersByPhone(TENANT, '9811111111')).toEqual([]);
  });

  it('refuses a customer that is not the store\'s own object, and a change inside a change', () => {
    expect(() => store.update(structuredClone(asha), () => undefined)).toThrow(/is not this store's/);
    expect(() => store.update(asha, () => store.update(asha, () => undefined))).toThrow(/inside another change/);
    // The refused inner change left the store working.
    store.update(asha, (draft) => {
      draft.name = 'After';
    });
    expect(store.customer(TENANT, asha.id)?.name).toBe('After');
  });

  it('refuses a change of the id, the tenant or the creation time, which the indexes file the customer under', () => {
    // The draft's type says so first (this function is only typechecked).
    const typeChecked = () =>
      store.update(asha, (draft) => {
        // @ts-expect-error: the id never changes
        draft.id = 1;
      });
    expect(typeChecked).toBeTypeOf('function');
    expect(() => store.update(asha, (draft) => Object.assign(draft, { cmId: 777 }))).toThrow(/id, tenant or creation time/);
  });
});

describe('the key list', () => {
  it('is frozen, and so are its records: a reader cannot change it', () => {
    const keys = store.keys();
    expect(Object.isFrozen(keys)).toBe(true);
    expect(keys.every((key) => Object.isFrozen(key))).toBe(true);
    expect(() => (keys as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(() => Object.assign(keys[0]!, { tenant: 1 })).toThrow(TypeError);
  });

  it('updateKeys replaces the list with the changed copy, recorded for the next commit', async () => {
    const before = store.keys();
    await store.commit();
    recorded.lines.length = 0;
    store.updateKeys((keys) => keys.push({ key: 'qa-key', tenant: 777, operations: ['searchCustomer'] }));
    expect(before.map((k) => k.key)).not.toContain('qa-key');
    expect(store.keys().map((k) => k.key)).toContain('qa-key');
    expect(Object.isFrozen(store.keys().at(-1)!.operations)).toBe(true);
    await store.commit();
    expect(committed(recorded)).toEqual([['keys']]);
  });

  it('a change that throws changes nothing', async () => {
    const before = store.keys();
    expect(() =>
      store.updateKeys((keys) => {
        keys.length = 0;
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(store.keys()).toBe(before);
  });
});

describe('readers', () => {
  it('answer arrays of the caller\'s own', () => {
    store.customersOf(TENANT).length = 0;
    store.customersByPhone(TENANT, '9811111111').length = 0;
    store.customersBetween(TENANT, 0, Date.now()).length = 0;
    expect(store.customersOf(TENANT)).toContain(asha);
    expect(store.customersByPhone(TENANT, '9811111111')).toEqual([asha]);
    expect(store.customersBetween(TENANT, 0, Date.now())).toContain(asha);
  });

  it('reserveIds takes a block of ids, recorded for the next commit', async () => {
    const { customerId, contactId } = store.data.counters;
    await store.commit();
    recorded.lines.length = 0;
    expect(store.reserveIds(3, 4)).toEqual({ customerId, contactId });
    expect(store.data.counters).toEqual({ customerId: customerId + 3, contactId: contactId + 4 });
    await store.commit();
    expect(committed(recorded)).toEqual([['counters']]);
  });

  it('replace and replaceTenant rewrite the state whole at the next commit', async () => {
    store.replaceTenant(TENANT, []);
    expect(store.customerCount(TENANT)).toBe(0);
    expect(store.customersByPhone(TENANT, '9811111111')).toEqual([]);
    await store.commit();
    store.replace(structuredClone(SEED));
    await store.commit();
    expect(recorded.rewrites).toBe(2);
    expect(recorded.lines).toEqual([]);
    expect(Object.isFrozen(store.keys())).toBe(true);
  });
});
