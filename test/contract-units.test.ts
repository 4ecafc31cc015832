import { describe, expect, it } from 'vitest';
import { envName } from '../src/contract/command.js';
import { operationContract } from '../src/contract/operations.js';
import { REDACTED, redactor } from '../src/contract/redact.js';
import { junitReport, xml } from '../src/contract/report-junit.js';
import { newRunId, type ContractReport } from '../src/contract/runner.js';
import { schemaProblems } from '../src/contract/schema-check.js';
import { sandboxDefaultKeys } from '../src/contract/target.js';
import { OPERATION_IDS } from '../src/operations/ids.js';
import { loadSpec } from '../src/spec.js';

describe('the spec as the suite reads it', () => {
  it('gives each operation its URL and its success schema, both declared by the spec', () => {
    expect(OPERATION_IDS.map((op) => [op, operationContract(op).path, operationContract(op).successSchema, operationContract(op).writes])).toEqual([
      ['addCustomer', '/add-update-customer-from-other-source.html', 'AddCustomerSuccess', true],
      ['updateCustomer', '/add-update-customer-from-other-source.html', 'UpdateCustomerSuccess', true],
      ['selectCustomers', '/select-customer-between-start-and-end-dates.html', 'CustomerList', false],
      ['searchCustomer', '/search-customer-by-customer-id.html', 'CustomerList', false],
      ['addContacts', '/add-more-contacts-for-existing-customer.html', 'AddContactsSuccess', true],
    ]);
  });

  it('names the JSON pointer, the offending value and the rule of the spec that it breaks', () => {
    // The spec's own example (customer 286829), broken twice.
    const spec = loadSpec() as unknown as { components: { responses: Record<string, any> } };
    const list = structuredClone(spec.components.responses.CustomerListAnswer.content['application/json'].examples.found.value);
    delete list.message[0].cmId;
    list.message[0].contacts[0].generationDate.month = 12;
    expect(schemaProblems('CustomerList', spec.components.responses.CustomerListAnswer.content['application/json'].examples.found.value)).toBeUndefined();
    const problems = schemaProblems('CustomerList', list);
    expect(problems).toContain('/message/0 lacks the required key "cmId"');
    expect(problems).toContain('/message/0/contacts/0/generationDate/month is 12: must be <= 11 [CalendarObject: A serialized java.util.Calendar in IST. `month` is 0-based (3 = April).]');
    expect(schemaProblems('UpdateCustomerSuccess', { message: 'Customer Updated Successfully', status: 'Success' })).toBe('/status is "Success", the spec wants "success"');
    expect(schemaProblems('UpdateCustomerSuccess', { message: 'Customer Updated Successfully', status: 'success' })).toBeUndefined();
  });
});

describe('redaction', () => {
  it('replaces every key, longest first, and short keys only as whole words', () => {
    const redact = redactor(['abcdef-secret', 'abcdef', 'k1']);
    expect(redact('Basic abcdef-secret, then abcdef; k1 but not k12 or mk1')).toBe(`Basic ${REDACTED}, then ${REDACTED}; ${REDACTED} but not k12 or mk1`);
    expect(redactor([])('nothing to hide')).toBe('nothing to hide');
  });
});

describe('JUnit XML', () => {
  const report: ContractReport = {
    target: { baseUrl: 'http://127.0.0.1:1', kind: 'service', capabilities: ['stateful'] },
    runId: 'ct-1',
    expectation: { profile: 'document', mode: 'observe' },
    startedAt: '2026-11-29T00:00:00.000Z',
    durationMs: 1500,
    results: [
      { id: 'a.pass', title: 'passes', group: 'read-only', source: 'fact', tags: [], status: 'passed', durationMs: 12, waits: [], notes: [] },
      { id: 'a.fail', title: 'fails <&>', group: 'read-only', source: 'fact', tags: [], status: 'failed', message: 'said "x" & <y>\u0000\nsecond line', durationMs: 3, waits: [{ what: 'search', ms: 1200, attempts: 3, settled: false }], notes: [] },
      { id: 'b.skip', title: "skips 'it'", group: 'writes', source: 'profile', tags: [], status: 'skipped', message: 'pass --allow-writes', durationMs: 0, waits: [], notes: [] },
    ],
    created: { customers: ['1', '2'], contacts: [] },
    counts: { passed: 1, failed: 1, skipped: 1, observed: 0, empty: 0 },
    ok: false,
  };

  it('escapes text and attributes, and drops characters XML cannot hold', () => {
    expect(xml(`a<b>&"c"'d'\u0001\uD800e\u{1F600}`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\uFFFD\uFFFDe\u{1F600}');
  });

  it('has one testsuite per group, counts, failure and skipped elements, waits in system-out', () => {
    const text = junitReport(report);
    expect(text).toContain('<testsuites name="kapture-sandbox contract" tests="3" failures="1" errors="0" skipped="1" time="1.500">');
    expect(text).toContain('<testsuite name="read-only" tests="2" failures="1" errors="0" skipped="0" time="0.015"');
    expect(text).toContain('<testcase classname="contract.read-only" name="[fact] a.pass: passes" time="0.012"/>');
    expect(text).toContain('<failure message="said &quot;x&quot; &amp; &lt;y&gt;\uFFFD" type="ContractFailure">said &quot;x&quot; &amp; &lt;y&gt;\uFFFD\nsecond line</failure>');
    expect(text).toContain('<system-out>waited 1.2 s over 3 attempts for search (gave up)</system-out>');
    expect(text).toContain('<skipped message="pass --allow-writes"/>');
    expect(text).toContain('<property name="created.customers" value="1,2"/>');
    // Balanced: every opened element is closed.
    const opened = (text.match(/<(testsuites|testsuite|testcase|failure|properties|system-out)[ >]/g) ?? []).length;
    const selfClosed = (text.match(/<testcase [^>]*\/>/g) ?? []).length;
    const closed = (text.match(/<\/(testsuites|testsuite|testcase|failure|properties|system-out)>/g) ?? []).length;
    expect(opened).toBe(closed + selfClosed);
  });
});

describe('small pieces', () => {
  it('run ids are sortable, tagged and unique enough', () => {
    const at = new Date('2026-11-29T12:05:11.000Z');
    expect(newRunId(at)).toMatch(/^ct-20261129-120511-[0-9a-f]{4}$/);
    expect(newRunId(at)).not.toBe(newRunId(at));
  });

  it('per-operation environment variables', () => {
    expect(OPERATION_IDS.map(envName)).toEqual(['ADD_CUSTOMER', 'UPDATE_CUSTOMER', 'SELECT_CUSTOMERS', 'SEARCH_CUSTOMER', 'ADD_CONTACTS']);
  });

  it("a sandbox's default keys: the all-operation key, the expired one, the search-only one for search", () => {
    expect(sandboxDefaultKeys()).toEqual({ default: 'sandbox-key', expired: 'expired-key', byOperation: { searchCustomer: 'search-only-key' } });
  });
});
