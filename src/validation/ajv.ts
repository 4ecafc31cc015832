import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSpec } from '../spec.js';
import { parseVendorDateTime } from '../vendor/dates.js';

const SPEC_ID = 'kapture-spec';

let instance: Ajv2020 | undefined;

/**
 * One Ajv holding the spec's component schemas, so every validator (requests, control bodies,
 * responses in the contract suite) resolves the same `$ref`s from the same document.
 */
function ajv(): Ajv2020 {
  if (instance) return instance;
  const created = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(created);
  // The vendor's select dates: a calendar check a regex cannot do (2023-02-30 is malformed).
  created.addFormat('kapture-date-time', {
    type: 'string',
    validate: (value: string) => parseVendorDateTime(value, 'start') !== undefined,
  });
  // OpenAPI and sandbox annotations that carry no validation.
  for (const keyword of ['components', 'example', 'x-sandbox-aliases', 'x-sandbox-strict-optional', 'x-sandbox-notes', 'x-sandbox-requires']) {
    created.addKeyword(keyword);
  }
  created.addSchema({ $id: SPEC_ID, components: { schemas: loadSpec().components.schemas } });
  instance = created;
  return created;
}

const cache = new Map<string, ValidateFunction>();

/** A validator for a JSON pointer into the spec's component schemas, e.g. `Customer` or `AddCustomerItem/properties/email`. */
export function specValidator(pointer: string): ValidateFunction {
  let validate = cache.get(pointer);
  if (!validate) {
    validate = ajv().compile({ $ref: `${SPEC_ID}#/components/schemas/${pointer}` });
    cache.set(pointer, validate);
  }
  return validate;
}

/** A one-line account of why a value failed, for control errors and contract reports. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}
