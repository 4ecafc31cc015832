import { describe, expect, it } from 'vitest';
import { checkItem, snippet } from '../src/validation/request-fields.js';
import { ADD, CONTACT, CONTACTS, failed, keysOf, ok, SEARCH, SELECT, VALID } from './helpers/field-rules.js';

/**
 * The field rules compiled from the spec, tested without HTTP: which values they accept, and how
 * they report the others. Which keys they know is in test/field-rules-keys.test.ts.
 */

describe('phone: a string or a number, 7-15 digits, an optional leading +', () => {
  const cases: Array<[unknown, boolean]> = [
    [9876543210, true],
    ['9876543210', true],
    ['+919876543210', true],
    ['+1234567', true],
    [1000000, true],
    ['1234567', true],
    [999999999999999, true],
    ['123456789012345', true],
    ['0123456789', true],
    [999999, false],
    ['123456', false],
    ['+123456', false],
    [1000000000000000, false],
    ['1234567890123456', false],
    ['+', false],
    ['12', false],
    ['abcdefghij', false],
    ['98765 43210', false],
    [' 9876543210', false],
    ['+91-9876543210', false],
    [9876543210.5, false],
    [-9876543, false],
    [true, false],
  ];

  it.each(cases)('%j: valid %s', (phone, valid) => {
    const verdict = checkItem(ADD, { ...VALID, phone });
    expect(verdict.ok).toBe(valid);
    if (verdict.ok) expect(verdict.values.phone).toBe(phone);
    else expect(verdict.message).toMatch(/^Mandatory field malformed: phone \(expected 7 to 15 digits/);
  });

  it('the same rule holds for an additional phone of a contact, as a warning', () => {
    expect(ok(checkItem(CONTACTS, { ...CONTACT, name: 'R', additional_phone: 9876543210 })).values.additional_phone).toBe(9876543210);
    const verdict = ok(checkItem(CONTACTS, { ...CONTACT, name: 'R', additional_phone: '12' }));
    expect(verdict.values).not.toHaveProperty('additional_phone');
    expect(verdict.warnings[0]).toMatch(/^field "additional_phone" ignored: expected 7 to 15 digits/);
  });
});

describe('zone: an integer or a string of digits', () => {
  const cases: Array<[unknown, boolean]> = [
    ['5', true],
    ['0', true],
    ['007', true],
    ['999999999', true],
    [5, true],
    [0, true],
    [2147483647, true],
    ['India', false],
    ['1234567890', false],
    ['-1', false],
    ['', false],
    [' 5', false],
    ['5.0', false],
    [-1, false],
    [1.5, false],
    [2147483648, false],
    [null, false],
    [[5], false],
  ];

  it.each(cases)('%j: usable %s', (zone, usable) => {
    const verdict = ok(checkItem(ADD, { ...VALID, zone }));
    if (usable) {
      expect(verdict.values.zone).toBe(zone);
      expect(verdict.warnings).toEqual([]);
    } else {
      expect(verdict.values).not.toHaveProperty('zone');
      expect(verdict.warnings).toEqual([`field "zone" ignored: expected a non-negative integer, as a number or a string of digits, got ${snippet(zone)}`]);
    }
  });
});

describe('calendar dates of optional fields', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['date_of_birth', '2024-02-29', true],
    ['date_of_birth', '2000-02-29', true],
    ['date_of_birth', '2023-02-29', false],
    ['date_of_birth', '1900-02-29', false],
    ['date_of_birth', '2023-02-30', false],
    ['date_of_birth', 'YYYY-MM-DD', false],
    ['date_of_birth', '2023-2-3', false],
    ['date_of_birth', '2023-02-03T00:00:00', false],
    ['anniversary_date', '2023-04-31', false],
    ['anniversary_date', '2023-12-31', true],
    ['anniversary_date', 20231231, false],
  ];

  it.each(cases)('%s %j: usable %s', (field, value, usable) => {
    const verdict = ok(checkItem(ADD, { ...VALID, [field]: value }));
    expect(field in verdict.values).toBe(usable);
    expect(verdict.warnings.length).toBe(usable ? 0 : 1);
    if (!usable) expect(verdict.warnings[0]).toMatch(new RegExp(`^field "${field}" ignored: expected a real calendar date`));
  });

  it.each([['start_date'], ['end_date']])('select %s is mandatory: an impossible date fails', (field) => {
    const item = { start_date: '2016-03-31', end_date: '2016-03-31', [field]: '2023-02-30' };
    expect(failed(checkItem(SELECT, item)).message).toMatch(new RegExp(`^Mandatory field malformed: ${field} `));
  });
});

describe('mandatory customer ids', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['272930', undefined],
    [272930, undefined],
    ['0', undefined],
    ['', 'Mandatory field empty: customer_id'],
    [null, 'Mandatory field missing: customer_id (it is null)'],
    [0, 'Mandatory field malformed: customer_id'],
    // customer_id is the integrating system's own id (source id) or Kapture's: any non-empty string.
    ['272930 ', undefined],
    ['abc', undefined],
    ['7f3c2a4e-9b1d-4e5f-8a6b-0c1d2e3f4a5b', undefined],
    ['1234567890123456', undefined],
    ['   ', 'Mandatory field empty: customer_id'],
    ['x'.repeat(201), 'Mandatory field malformed: customer_id'],
    [272930.5, 'Mandatory field malformed: customer_id'],
    [{ id: 1 }, 'Mandatory field malformed: customer_id'],
  ];

  it.each(cases)('search customer_id %j', (customerId, message) => {
    const verdict = checkItem(SEARCH, { customer_id: customerId });
    if (message === undefined) expect(ok(verdict).values.customer_id).toBe(customerId);
    else expect(failed(verdict).message.startsWith(message)).toBe(true);
  });
});

describe('keys named like Object.prototype members', () => {
  it('__proto__, constructor, prototype, hasOwnProperty are unknown fields; values stay plain', () => {
    const item = JSON.parse(
      '{"__proto__":{"name":"Hacked","city":"x"},"constructor":{"prototype":{"polluted":1}},"prototype":1,"hasOwnProperty":2,"name":"Asha","email":"asha@example.com","phone":"9876543210"}',
    ) as Record<string, unknown>;
    const verdict = ok(checkItem(ADD, item));
    expect(keysOf(verdict.values)).toEqual(['email', 'name', 'phone']);
    expect(verdict.values.name).toBe('Asha');
    expect(Object.hasOwn(verdict.values, '__proto__')).toBe(false);
    expect((verdict.values as { city?: unknown }).city).toBeUndefined();
    expect(verdict.warnings).toEqual([
      'unknown field "__proto__" ignored',
      'unknown field "constructor" ignored',
      'unknown field "prototype" ignored',
      'unknown field "hasOwnProperty" ignored',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([['{"constructor":"272930"}'], ['{"__proto__":{"customer_id":"272930"}}'], ['{"toString":"272930","valueOf":"272930"}']])(
    'search item %s: customer_id is missing (own properties only)',
    (text) => {
      const verdict = failed(checkItem(SEARCH, JSON.parse(text) as Record<string, unknown>));
      expect(verdict.message).toBe('Mandatory field missing: customer_id');
    },
  );
});

describe('bad values are reported in short snippets, never a throw', () => {
  const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

  it('a 100,000-character unusable value is cut short in the warning', () => {
    const verdict = ok(checkItem(ADD, { ...VALID, zone: 'x'.repeat(100_000) }));
    expect(verdict.warnings).toHaveLength(1);
    expect(verdict.warnings[0]!.length).toBeLessThan(200);
  });

  it('a 100,000-character malformed mandatory value is cut short in the message', () => {
    expect(failed(checkItem(ADD, { ...VALID, email: 'x'.repeat(100_000) })).message.length).toBeLessThan(200);
  });

  it.each([['x'.repeat(1000)], [{ a: 'b'.repeat(100) }], [['c'.repeat(100), 'd'.repeat(100)]], [deep(10_000)]])('snippet case %# is at most 40 characters', (value) => {
    const text = snippet(value);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(40);
  });

  it('snippet shows a short value whole', () => {
    expect(snippet('short')).toBe('"short"');
    expect(snippet(42)).toBe('42');
  });

  it('an optional field nested 10,000 levels deep is ignored with a warning', () => {
    const verdict = ok(checkItem(ADD, { ...VALID, city: deep(10_000) }));
    expect(verdict.values).not.toHaveProperty('city');
    expect(verdict.warnings).toHaveLength(1);
    expect(verdict.warnings[0]!).toMatch(/^field "city" ignored: expected a string, got /);
  });

  it('a mandatory field nested 10,000 levels deep is malformed', () => {
    expect(failed(checkItem(ADD, { ...VALID, name: deep(10_000) })).message).toMatch(/^Mandatory field malformed: name \(expected a non-blank string, got /);
  });
});
