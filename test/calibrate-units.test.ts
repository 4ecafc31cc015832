import { describe, expect, it } from 'vitest';
import { failureTemplateOf, successTemplate } from '../src/calibrate/infer.js';
import { collectValues, isSafeWord, typeShape } from '../src/calibrate/redact.js';
import { jsonPath, templateDrift } from '../src/contract/drift.js';

describe('drift against a template', () => {
  const ADD = { Message: 'Customer Added Successfully', 'Kapture Customer Id': '$customerIds', Status: 'Success' };
  it.each([
    ['the same answer', { Message: 'Customer Added Successfully', 'Kapture Customer Id': '12', Status: 'Success' }, []],
    ['another casing', { message: 'Customer Added Successfully', 'Kapture Customer Id': '12', Status: 'Success' }, [['$.Message', 'the key "Message"', 'the key "message" (another casing)']]],
    ['another status word', { Message: 'Customer Added Successfully', 'Kapture Customer Id': '12', Status: 'OK' }, [['$.Status', '"Success"', '"OK"']]],
    ['an id that is not digits', { Message: 'Customer Added Successfully', 'Kapture Customer Id': 12, Status: 'Success' }, [['$["Kapture Customer Id"]', 'the customer ids, a string of digits', '12']]],
    ['a renamed key', { Message: 'Customer Added Successfully', 'Customer Id': '12', Status: 'Success' }, [['$["Kapture Customer Id"]', 'the key "Kapture Customer Id"', 'absent; the answer has "Customer Id"']]],
    ['not an object', [1], [['$', 'an object with the keys "Message", "Kapture Customer Id", "Status"', 'a list of 1']]],
  ])('%s', (_name, body, expected) => {
    expect(templateDrift('addCustomer', ADD, body).map((d) => [d.path, d.expected, d.seen])).toEqual(expected);
  });

  it('compares a failure text only when the profile fixes one', () => {
    const failure = { Message: '$message', Status: 'Fail' };
    expect(templateDrift('searchCustomer', failure, { Message: 'Auth Key Invalid', Status: 'Fail' }, 'Auth Key Invalid')).toEqual([]);
    expect(templateDrift('searchCustomer', failure, { Message: 'Invalid Auth Key', Status: 'Fail' }, 'Auth Key Invalid')[0]?.seen).toBe('"Invalid Auth Key"');
    expect(templateDrift('searchCustomer', failure, { Message: 'Mandatory field missing: customer_id', Status: 'Fail' })).toEqual([]);
  });

  it('writes JSON paths readably', () => {
    expect([jsonPath('status'), jsonPath('Kapture Customer Id'), jsonPath('pinCode', '$.message[0]')]).toEqual(['$.status', '$["Kapture Customer Id"]', '$.message[0].pinCode']);
  });
});

describe('what calibration keeps of an answer', () => {
  it('replaces every value by its type, keeping the keys', () => {
    expect(typeShape({ message: [{ id: 1, name: 'Rahul', contacts: [{ phone: '98', isPrimaryContact: true }], x: null }], status: 'success' })).toEqual({
      message: [{ id: '<number>', name: '<string>', contacts: [{ phone: '<string>', isPrimaryContact: '<boolean>' }], x: '<null>' }],
      status: '<string>',
    });
  });

  it('keeps a fixed word only when it holds no customer value, no id or phone, no email, no secret', () => {
    const seen = new Set<string>();
    collectValues([{ name: 'Rahul', city: 'Kozhikode', phone: '9876543210' }], seen);
    const secrets = ['k-123-secret'];
    expect(isSafeWord('Customer Added Successfully', seen, secrets)).toBe(true);
    expect(isSafeWord('Welcome Rahul', seen, secrets)).toBe(false);
    expect(isSafeWord('Added in kozhikode', seen, secrets)).toBe(false);
    expect(isSafeWord('Customer 48338901 added', seen, secrets)).toBe(false);
    expect(isSafeWord('sent to a@b.in', seen, secrets)).toBe(false);
    expect(isSafeWord('Invalid Auth Key: Basic k-123-secret', seen, secrets)).toBe(false);
  });

  it('turns answers into templates: customers, ids and texts become placeholders, unsafe words the default', () => {
    const safety = { seen: new Set(['rahul']), secrets: [] };
    expect(successTemplate({ 'Customer Details': { id: 1 }, status: 'success' }, {}, safety).template).toEqual({ 'Customer Details': '$customer', status: 'success' });
    expect(successTemplate({ message: 'Added', 'Kapture Customer Id': '5', status: 'ok', 'Contact Ids': ['7'] }, {}, safety).template).toEqual({
      message: 'Added',
      'Kapture Customer Id': '$customerIds',
      status: 'ok',
      'Contact Ids': '$contactIds',
    });
    const unsafe = successTemplate({ message: 'Hello Rahul', status: 'success' }, { message: 'Customer Added Successfully' }, safety);
    expect(unsafe).toEqual({ template: { message: 'Customer Added Successfully', status: 'success' }, withheld: ['message'] });
    expect(failureTemplateOf({ 'Customer Details': 'Information given by you does not exist in our sytsem.', status: 'failed' }, {}, safety)).toMatchObject({
      template: { 'Customer Details': '$message', status: 'failed' },
      message: 'Information given by you does not exist in our sytsem.',
    });
  });
});
