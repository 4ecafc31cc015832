import { VENDOR } from '../helpers/http.js';
import { call, isSuccess, type CallResult } from './support.js';

/*
 * The crash test's workload and what it knows: every write it sent, which ones were answered
 * Success (they must survive anything), and which were in flight when the sandbox died (they may
 * or may not be there, but never half). After a restart, `verify` compares the store with that
 * knowledge and then adopts what it found, so the next cycle starts from certainty.
 */

export type CustomerState = { name: string; email: string; phone: string; city: string; state: string; address?: string | undefined };
export type ContactState = { contactPerson: string; email: string; phone: string };

type Tracked = {
  id: number;
  /** The state last answered Success (or found after a restart). */
  confirmed: CustomerState;
  /** Updates sent but not answered: the store may hold any one of them instead. */
  pending: CustomerState[];
  /** Contacts answered Success (or found after a restart), by their unique contactPerson. */
  contacts: Map<string, { contact: ContactState; id?: number }>;
  /** An update is in flight: no other is sent, so the order of writes is known. */
  busy: boolean;
};

/** A presented customer, as select answers it. */
export type Presented = { id: number; name: string; city?: string; state?: string; address?: string; contacts: PresentedContact[] };
type PresentedContact = { id: number; contactPerson: string; email: string; phone: string; isPrimaryContact: boolean };

/** Big addresses make some writes large, so a kill can land in the middle of one. */
const BIG_ADDRESS_CHARS = 20_000;

export class CrashModel {
  readonly tracked = new Map<number, Tracked>();
  /** Adds sent but not answered, by their unique name. */
  readonly pendingAdds = new Map<string, { state: CustomerState; batch?: string }>();
  /** Contacts sent but not answered, by their unique contactPerson. */
  readonly pendingContacts = new Map<string, { customerId: number; contact: ContactState }>();
  /** Batch adds not answered: all of their customers land, or none. */
  readonly pendingAddBatches = new Map<string, string[]>();
  /** Batch updates (two customers, one request) not answered: both land, or neither. */
  readonly pendingUpdateBatches = new Map<string, number[]>();
  readonly unexpected: string[] = [];
  /** `inFlightLanded`/`inFlightLost`: unanswered adds found whole after the restart, or not there at all. */
  readonly stats = { sent: 0, succeeded: 0, unanswered: 0, inFlightLanded: 0, inFlightLost: 0 };
  /** Requests that got no answer, with when they were sent (performance.now()), since the last `verify`. */
  unanswered: Array<{ what: string; sentAt: number; error: string }> = [];
  #sequence = 0;

  constructor(private readonly random: () => number) {}

  next(): number {
    return ++this.#sequence;
  }

  pick<T>(items: T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.random() * items.length)];
  }

  /** One worker: random writes until the sandbox stops answering or `stop.stopped` is set. */
  async worker(url: string, stop: { stopped: boolean }): Promise<void> {
    while (!stop.stopped) {
      const roll = this.random();
      let answered: boolean;
      if (roll < 0.3 || this.tracked.size < 4) answered = await this.addOne(url);
      else if (roll < 0.4) answered = await this.addBatch(url);
      else if (roll < 0.65) answered = await this.updateOne(url);
      else if (roll < 0.75) answered = await this.updateTwo(url);
      else answered = await this.addContact(url);
      if (!answered) return;
    }
  }

  async #send(url: string, path: string, body: unknown, what: string): Promise<CallResult> {
    this.stats.sent++;
    const sentAt = performance.now();
    const result = await call(url, path, body, {}, 20_000);
    if (!result.answered) {
      this.stats.unanswered++;
      this.unanswered.push({ what, sentAt, error: result.error });
    } else if (isSuccess(result)) this.stats.succeeded++;
    else this.unexpected.push(`${what} answered HTTP ${result.status} ${result.text.slice(0, 200)}${result.detail ? ` (${result.detail})` : ''}`);
    return result;
  }

  #customer(n: number, prefix = ''): CustomerState {
    return { name: `${prefix}crash-${n}`, email: `c${n}@crash.test`, phone: String(9_000_000_000 + n), city: `city-${n}`, state: `state-${n}` };
  }

  #track(id: number, state: CustomerState): void {
    this.tracked.set(id, { id, confirmed: state, pending: [], contacts: new Map(), busy: false });
  }

  async addOne(url: string): Promise<boolean> {
    const state = this.#customer(this.next());
    this.pendingAdds.set(state.name, { state });
    const result = await this.#send(url, VENDOR.add, state, `add ${state.name}`);
    if (!result.answered) return false;
    this.pendingAdds.delete(state.name);
    if (result.answered && isSuccess(result)) this.#track(Number(result.json['Kapture Customer Id']), state);
    return true;
  }

  async addBatch(url: string): Promise<boolean> {
    const n = this.next();
    const tag = `batch-${n}`;
    const big = this.random() < 0.3;
    const states = Array.from({ length: 2 + Math.floor(this.random() * 3) }, (_, index): CustomerState => ({
      ...this.#customer(n, `b${index}-`),
      ...(big ? { address: `${tag}:${'x'.repeat(BIG_ADDRESS_CHARS)}` } : {}),
    }));
    for (const state of states) this.pendingAdds.set(state.name, { state, batch: tag });
    this.pendingAddBatches.set(tag, states.map((s) => s.name));
    const result = await this.#send(url, VENDOR.add, states, `batch add ${tag}`);
    if (!result.answered) return false;
    this.pendingAddBatches.delete(tag);
    for (const state of states) this.pendingAdds.delete(state.name);
    if (result.answered && isSuccess(result)) {
      const ids = String(result.json['Kapture Customer Id']).split(',').map(Number);
      if (ids.length !== states.length) this.unexpected.push(`batch add ${tag} of ${states.length} answered ${ids.length} ids`);
      states.forEach((state, index) => this.#track(ids[index]!, state));
    }
    return true;
  }

  #updated(target: Tracked, n: number, name: string): CustomerState {
    return { name, email: `u${n}@crash.test`, phone: String(8_000_000_000 + n), city: `ucity-${n}`, state: `ustate-${n}`, address: target.confirmed.address };
  }

  async updateOne(url: string): Promise<boolean> {
    const target = this.pick([...this.tracked.values()].filter((t) => !t.busy));
    if (!target) return this.addOne(url);
    const n = this.next();
    const state = this.#updated(target, n, `crash-u${n}`);
    target.busy = true;
    target.pending.push(state);
    const { address: _address, ...fields } = state;
    const result = await this.#send(url, VENDOR.add, { customer_id: String(target.id), ...fields }, `update ${target.id}`);
    if (!result.answered) return false;
    if (isSuccess(result)) target.confirmed = state;
    target.pending = [];
    target.busy = false;
    return true;
  }

  async updateTwo(url: string): Promise<boolean> {
    const free = [...this.tracked.values()].filter((t) => !t.busy);
    const first = this.pick(free);
    const second = this.pick(free.filter((t) => t !== first));
    if (!first || !second) return this.addOne(url);
    const n = this.next();
    const tag = `crash-w${n}`;
    const targets = [first, second];
    const states = targets.map((target) => this.#updated(target, n, `${tag}#${target.id}`));
    targets.forEach((target, index) => {
      target.busy = true;
      target.pending.push(states[index]!);
    });
    this.pendingUpdateBatches.set(tag, targets.map((t) => t.id));
    const body = targets.map((target, index) => {
      const { address: _address, ...fields } = states[index]!;
      return { customer_id: String(target.id), ...fields };
    });
    const result = await this.#send(url, VENDOR.add, body, `batch update ${tag}`);
    if (!result.answered) return false;
    this.pendingUpdateBatches.delete(tag);
    targets.forEach((target, index) => {
      if (isSuccess(result)) target.confirmed = states[index]!;
      target.pending = [];
      target.busy = false;
    });
    return true;
  }

  async addContact(url: string): Promise<boolean> {
    const target = this.pick([...this.tracked.values()]);
    if (!target) return this.addOne(url);
    const n = this.next();
    const contact: ContactState = { contactPerson: `person-${n}`, email: `p${n}@crash.test`, phone: String(7_000_000_000 + n) };
    this.pendingContacts.set(contact.contactPerson, { customerId: target.id, contact });
    const result = await this.#send(
      url,
      VENDOR.contacts,
      { customer_id: String(target.id), contact_person: contact.contactPerson, email: contact.email, phone: contact.phone },
      `add contact to ${target.id}`,
    );
    if (!result.answered) return false;
    this.pendingContacts.delete(contact.contactPerson);
    if (result.answered && isSuccess(result)) {
      const id = Number((result.json['Contact Ids'] as string[] | undefined)?.[0] ?? NaN);
      target.contacts.set(contact.contactPerson, Number.isNaN(id) ? { contact } : { contact, id });
    }
    return true;
  }

  /**
   * Checks the customers found after a restart against what was sent and answered, then adopts
   * them: every Success is there with its exact content; an unanswered write is there whole or
   * not at all (batches included); nothing appears that was never sent; seeded customers are as
   * they were. Answers the problems found (empty when all holds).
   */
  verify(customers: Presented[], seeded: ReadonlyMap<number, string>): string[] {
    const problems: string[] = [];
    const byId = new Map(customers.map((customer) => [customer.id, customer]));
    for (const [id, text] of seeded) {
      if (JSON.stringify(byId.get(id)) !== text) problems.push(`seeded customer ${id} changed: ${JSON.stringify(byId.get(id))?.slice(0, 300)}`);
    }
    for (const target of this.tracked.values()) {
      const customer = byId.get(target.id);
      if (!customer) {
        problems.push(`customer ${target.id} (${target.confirmed.name}) was answered Success but is gone`);
        continue;
      }
      const found = stateOf(customer);
      const allowed = [target.confirmed, ...target.pending];
      if (!allowed.some((state) => sameState(state, found))) {
        problems.push(`customer ${target.id} is ${show(found)}: none of the states written to it (${allowed.map(show).join(' | ')})`);
      }
      target.confirmed = found;
      target.pending = [];
      target.busy = false;
      problems.push(...this.#verifyContacts(target, customer));
    }
    const adopted = new Set<string>();
    for (const customer of customers) {
      if (seeded.has(customer.id) || this.tracked.has(customer.id)) continue;
      const sent = this.pendingAdds.get(customer.name);
      const found = stateOf(customer);
      if (!sent) {
        problems.push(`customer ${customer.id} (${customer.name}) is in the store, yet no add was sent for it`);
      } else if (!sameState(sent.state, found) || customer.contacts.length !== 1 || !customer.contacts[0]!.isPrimaryContact) {
        problems.push(`customer ${customer.id}, an add in flight at the crash, is half-written: ${show(found)} with ${customer.contacts.length} contacts, sent ${show(sent.state)}`);
      }
      adopted.add(customer.name);
      this.#track(customer.id, found);
    }
    for (const [tag, names] of this.pendingAddBatches) {
      const landed = names.filter((name) => adopted.has(name));
      if (landed.length !== 0 && landed.length !== names.length) problems.push(`batch add ${tag} (in flight at the crash) is half there: ${landed.length} of ${names.length} customers`);
    }
    for (const [tag, ids] of this.pendingUpdateBatches) {
      const landed = ids.filter((id) => byId.get(id)?.name.startsWith(`${tag}#`));
      if (landed.length !== 0 && landed.length !== ids.length) problems.push(`batch update ${tag} (in flight at the crash) is half there: customers ${landed.join(',')} of ${ids.join(',')}`);
    }
    this.stats.inFlightLanded += adopted.size;
    this.stats.inFlightLost += this.pendingAdds.size - adopted.size;
    this.pendingAdds.clear();
    this.pendingContacts.clear();
    this.pendingAddBatches.clear();
    this.pendingUpdateBatches.clear();
    this.unanswered = [];
    return problems;
  }

  #verifyContacts(target: Tracked, customer: Presented): string[] {
    const problems: string[] = [];
    const primaries = customer.contacts.filter((contact) => contact.isPrimaryContact);
    if (primaries.length !== 1) problems.push(`customer ${target.id} has ${primaries.length} primary contacts`);
    const seen = new Set<string>();
    for (const contact of customer.contacts.filter((c) => !c.isPrimaryContact)) {
      const person = contact.contactPerson;
      const acknowledged = target.contacts.get(person);
      const pending = this.pendingContacts.get(person);
      const expected = acknowledged?.contact ?? (pending?.customerId === target.id ? pending.contact : undefined);
      if (seen.has(person)) problems.push(`contact ${person} appears twice on customer ${target.id}`);
      seen.add(person);
      if (!expected) {
        problems.push(`customer ${target.id} has contact ${contact.id} (${person}) that was never sent to it`);
      } else if (!sameContact(expected, contact) || (acknowledged?.id !== undefined && acknowledged.id !== contact.id)) {
        problems.push(`contact ${person} of customer ${target.id} is half-written: ${JSON.stringify(contact)}, sent ${JSON.stringify(expected)} (id ${acknowledged?.id ?? '?'})`);
      } else if (!acknowledged) {
        target.contacts.set(person, { contact: expected, id: contact.id });
      }
    }
    for (const person of target.contacts.keys()) {
      if (!seen.has(person)) problems.push(`contact ${person} of customer ${target.id} was answered Success but is gone`);
    }
    return problems;
  }
}

function stateOf(customer: Presented): CustomerState {
  const primary = customer.contacts.find((contact) => contact.isPrimaryContact);
  return { name: customer.name, email: primary?.email ?? '', phone: primary?.phone ?? '', city: customer.city ?? '', state: customer.state ?? '', address: customer.address };
}

function sameState(a: CustomerState, b: CustomerState): boolean {
  return a.name === b.name && a.email === b.email && a.phone === b.phone && a.city === b.city && a.state === b.state && a.address === b.address;
}

function sameContact(a: ContactState, b: PresentedContact): boolean {
  return a.contactPerson === b.contactPerson && a.email === b.email && a.phone === b.phone;
}

function show(state: CustomerState): string {
  const { address, ...rest } = state;
  return JSON.stringify(address === undefined ? rest : { ...rest, address: `${address.slice(0, 20)}…(${address.length})` });
}
