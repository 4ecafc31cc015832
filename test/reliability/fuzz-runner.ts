import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { componentSchema } from '../../src/spec.js';
import { specValidator } from '../../src/validation/ajv.js';
import { post, VENDOR, type Answer } from '../helpers/http.js';
import type { FuzzBody } from './fuzz-bodies.js';
import { answeredAs, expectedOutcome, resolveCustomer, ITEM_SCHEMAS, matchAnswer, operationPath, specAccepts, type Expected, type FuzzedOperation } from './fuzz-oracle.js';
import { itemShape } from './spec-arbitraries.js';

/** A snapshot larger than this triggers a reset, so the per-request fingerprint stays cheap. */
const RESET_ABOVE_BYTES = 512 * 1024;
const PROBE = 'fuzz-probe';
const ERROR_CODES = new Set((componentSchema('ErrorCode').enum as string[]) ?? []);
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join();

/**
 * The sandbox's whole state (customers, id counters, keys), byte for byte: a named snapshot of a
 * file-backed sandbox is written as one JSON file beside the store, through the public control surface.
 */
export class StateProbe {
  constructor(
    private readonly sandbox: Sandbox,
    private readonly db: string,
  ) {}

  async take(): Promise<string> {
    await this.sandbox.snapshots.save(PROBE);
    return readFile(join(`${this.db}.snapshots`, `${PROBE}.json`), 'utf8');
  }
}

/** A ready-to-paste reproduction: a sandbox like the fuzz's, and the request (bodies too long or binary for a shell go to a file). */
export async function curlFor(path: string, body: FuzzBody, label: string): Promise<string> {
  const start = 'node bin/kapture-sandbox.js serve --in-memory --seed 1 --customers 5 --port 4010';
  const head = `curl -sS -i http://127.0.0.1:4010${path} -H 'Authorization: Basic sandbox-key' -H 'Content-Type: application/json'`;
  // eslint-disable-next-line no-control-regex
  if (body.text.length <= 2_000 && !/[\u0000-\u001f]/.test(body.text)) {
    return `${start} &\n${head} --data-binary '${body.text.replace(/'/g, `'\\''`)}'`;
  }
  // One file per operation, overwritten: the last failing body written is the shrunk one fast-check reports.
  const file = join(tmpdir(), `kapture-fuzz-${label}-failing-body.json`);
  await writeFile(file, body.text);
  return `${start} &\n${head} --data-binary @${file}   # the body (${Buffer.byteLength(body.text)} bytes) was written there`;
}

/** Where two fingerprints first differ, with some context. */
function firstDifference(before: string, after: string): string {
  let index = 0;
  while (index < before.length && before[index] === after[index]) index++;
  return `state changed at byte ${index}: before …${before.slice(Math.max(0, index - 80), index + 80)}… after …${after.slice(Math.max(0, index - 80), index + 80)}…`;
}

/**
 * Sends fuzz bodies for one operation and checks these invariants on each answer:
 * no 5xx, the answer validates against the spec, a failure (or a read) changes nothing byte for
 * byte, a Success of a write is visible to search at once with the exact values sent, and the
 * outcome is the one the spec's field rules call for (its "Field rules"; docs/design.md).
 */
export class FuzzRunner {
  readonly path: string;
  readonly outcomes = new Map<string, number>();
  #fingerprint: string | undefined;
  #existing: Set<number>;
  /** Source ids the fuzz's own upserts created, with their customers' Kapture ids. */
  #sources = new Map<string, number>();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly probe: StateProbe,
    private readonly operation: FuzzedOperation,
    private readonly seedIds: number[],
  ) {
    this.path = operationPath(operation);
    this.#existing = new Set(seedIds);
  }

  async check(body: FuzzBody): Promise<void> {
    try {
      await this.#check(body);
    } catch (error) {
      // The state may be anything after a failed check: take it again before the next body.
      this.#fingerprint = undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${this.operation}: ${message}\nmutations: ${body.mutations.join('; ') || 'none (a valid body)'}\nreproduce:\n${await curlFor(this.path, body, this.operation)}`,
      );
    }
  }

  async #check(body: FuzzBody): Promise<void> {
    if (this.#fingerprint === undefined || this.#fingerprint.length > RESET_ABOVE_BYTES) await this.#refresh();
    const before = this.#fingerprint!;
    const expected = expectedOutcome(this.path, body.text, this.#existing, this.#sources);
    const answer = await post(this.sandbox.url, this.path, body.text, { raw: true });

    expect(answer.status, `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    expect(answer.status, `HTTP ${answer.status} (405 and 413 are never due here): ${answer.text.slice(0, 300)}`).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/i);
    expect(answer.json, `the answer is not JSON: ${answer.text.slice(0, 300)}`).toBeDefined();
    const match = matchAnswer(this.path, answer.json);
    expect(match.ok, `the answer does not validate against the spec: ${match.ok ? '' : match.why}; answer ${answer.text.slice(0, 300)}`).toBe(true);
    const code = answer.headers.get('x-sandbox-error');
    const failed = answer.json.Status === 'Fail';
    expect(failed, `X-Sandbox-Error ${code} on ${answer.text.slice(0, 200)}`).toBe(code !== null);
    if (failed) expect(ERROR_CODES.has(code!), `unknown X-Sandbox-Error ${code}`).toBe(true);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join(), 'Object.prototype was polluted').toBe(PROTOTYPE_NAMES);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();

    const outcome = failed ? code! : 'Success';
    this.#count(expected.outcome === outcome ? outcome : `${outcome} (expected ${expected.outcome})`);
    if (outcome === 'ReqFieldMissing') expect(specAccepts(this.path, body.text), 'the spec accepts this body, yet the sandbox answered ReqFieldMissing').toBe(false);
    expect(outcome, `expected ${expected.outcome}${expected.outcome === 'Success' ? '' : ` (${expected.why})`}, got ${answer.text.slice(0, 300)}`).toBe(expected.outcome);

    const wrote = expected.outcome === 'Success' && expected.operation !== 'selectCustomers' && expected.operation !== 'searchCustomer';
    if (expected.outcome === 'Success') await this.#visible(expected, answer);
    if (wrote) {
      this.#fingerprint = undefined;
      return;
    }
    const after = await this.probe.take();
    if (after !== before) expect.fail(`${failed ? 'a failed request' : 'a read'} changed the store: ${firstDifference(before, after)}`);
    this.#fingerprint = after;
  }

  /** Back to the seed when the state has grown, then a fresh fingerprint. */
  async #refresh(): Promise<void> {
    if (this.#fingerprint !== undefined) {
      await this.sandbox.reset();
      this.#existing = new Set(this.seedIds);
      this.#sources = new Map();
    }
    this.#fingerprint = await this.probe.take();
  }

  #count(key: string): void {
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
  }

  /** Search by `customer_id`s (Kapture ids, or source ids). */
  async #search(ids: Array<number | string>): Promise<Array<Record<string, any>>> {
    const found = await post(this.sandbox.url, VENDOR.search, ids.map((id) => ({ customer_id: String(id) })));
    expect(found.json?.status, `search of ${ids.join(',')} right after the write: ${found.text.slice(0, 300)}`).toBe('success');
    return found.json.message as Array<Record<string, any>>;
  }

  /** A Success is visible to search at once: the new customer, the updated fields, the new contact. */
  async #visible(expected: Extract<Expected, { outcome: 'Success' }>, answer: Answer): Promise<void> {
    const { operation, items } = expected;
    if (operation === 'searchCustomer') {
      expect(answer.json.message.map((c: { id: number }) => c.id)).toEqual(items.map((item) => resolveCustomer(item.customer_id, this.#existing, this.#sources)));
    } else if (operation === 'selectCustomers') {
      for (const customer of answer.json.message) expect(this.#existing.has(customer.id), `select answered unknown customer ${customer.id}`).toBe(true);
    } else if (operation === 'addCustomer') {
      const ids = String(answer.json['Kapture Customer Id']).split(',').map(Number);
      expect(ids).toHaveLength(items.length);
      for (const id of ids) expect(this.#existing.has(id), `add answered id ${id}, which already existed`).toBe(false);
      expect(new Set(ids).size).toBe(ids.length);
      const customers = await this.#search(ids);
      for (const [index, item] of items.entries()) {
        const customer = customers[index]!;
        expect(customer.contacts, `customer ${ids[index]} right after its add`).toHaveLength(1);
        expect(customer.contacts[0].contactPerson).toBe(String(item.name));
        expectCustomer(customer, applied(operation, [item]), `customer ${ids[index]} right after its add`);
      }
      for (const id of ids) this.#existing.add(id);
    } else if (operation === 'updateCustomer') {
      // Grouped by the customer each item names: an unknown customer_id was added (upsert), and
      // search finds it by that source id.
      const byRef = new Map<string, Array<Record<string, unknown>>>();
      for (const item of items) {
        const resolved = resolveCustomer(item.customer_id, this.#existing, this.#sources);
        const ref = resolved === undefined ? String(item.customer_id) : String(resolved);
        byRef.set(ref, [...(byRef.get(ref) ?? []), item]);
      }
      const refs = [...byRef.keys()];
      const customers = await this.#search(refs);
      for (const [index, ref] of refs.entries()) {
        const customer = customers[index]!;
        expectCustomer(customer, applied(operation, byRef.get(ref)!), `customer ${ref} right after its update`);
        if (!this.#existing.has(customer.id)) {
          this.#existing.add(customer.id);
          this.#sources.set(ref, customer.id);
        }
      }
    } else {
      const contactIds = answer.json['Contact Ids'] as string[];
      expect(contactIds, 'Contact Ids of add contacts').toHaveLength(items.length);
      const customers = await this.#search(items.map((item) => resolveCustomer(item.customer_id, this.#existing, this.#sources)!));
      for (const [index, item] of items.entries()) {
        const contact = customers[index]!.contacts.find((c: { id: number }) => c.id === Number(contactIds[index]));
        expect(contact, `contact ${contactIds[index]} of customer ${String(item.customer_id)} right after it was added`).toBeDefined();
        expectContact(contact, item);
      }
    }
  }
}

/**
 * The values a Success applied to a customer, in the answer's shape: name on the customer, email
 * and phone on its primary contact, optional plain-string fields where the spec says they are
 * answered; optional fields the spec rejects are ignored (with a warning), later items win.
 */
function applied(operation: 'addCustomer' | 'updateCustomer', items: Array<Record<string, unknown>>): Record<string, string> {
  const schemaName = ITEM_SCHEMAS[operation];
  const shape = itemShape(schemaName);
  const want: Record<string, string> = {};
  for (const item of items) {
    for (const [name, property] of shape.properties) {
      if (!Object.hasOwn(item, name)) continue;
      const value = item[name];
      if (name === 'name' || name === 'email' || name === 'phone') want[name] = String(value);
      else if (property.type === 'string' && property.format === undefined && typeof value === 'string') want[answeredAs(property, name)] = value;
    }
  }
  return want;
}

function expectCustomer(customer: Record<string, any>, want: Record<string, string>, where: string): void {
  const primary = customer.contacts.find((c: { isPrimaryContact: boolean }) => c.isPrimaryContact);
  for (const [field, value] of Object.entries(want)) {
    const actual = field === 'email' || field === 'phone' ? primary?.[field] : customer[field];
    expect(actual, `${where}: ${field}`).toBe(value);
  }
}

function expectContact(contact: Record<string, any>, item: Record<string, unknown>): void {
  const shape = itemShape(ITEM_SCHEMAS.addContacts);
  const person = Object.hasOwn(item, 'contact_person') ? item.contact_person : item.name;
  expect(contact.contactPerson, 'contactPerson of the new contact').toBe(String(person));
  expect(contact.email, 'email of the new contact').toBe(String(item.email));
  expect(contact.phone, 'phone of the new contact').toBe(String(item.phone));
  expect(contact.isPrimaryContact).toBe(false);
  for (const [name, property] of shape.properties) {
    if (!Object.hasOwn(item, name) || property.type !== 'string' || property.format !== undefined || typeof item[name] !== 'string') continue;
    if (specValidator(`${ITEM_SCHEMAS.addContacts}/properties/${name}`)(item[name])) expect(contact[answeredAs(property, name)], `${name} of the new contact`).toBe(item[name]);
  }
}
