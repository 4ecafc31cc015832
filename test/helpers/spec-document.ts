import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SPEC_PATH } from '../../src/spec.js';

/** The spec as test/spec-document.test.ts and test/spec-examples.test.ts read it. */

// A fresh parse of the spec, independent of src/spec.ts's cached copy: tests may clone and break it.
export type Json = Record<string, any>;
export const doc: Json = parse(readFileSync(SPEC_PATH, 'utf8'));

export const SCHEMA_PREFIX = '#/components/schemas/';

export const vendorPaths = Object.keys(doc.paths).filter((path) => !path.startsWith('/__sandbox/'));
