import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type { ErrorCode } from '../errors.js';
import type { OperationId } from '../operations/ids.js';

/**
 * Answer profiles: how a Kapture account answers, as data (`openapi/profile.schema.json`). The
 * built-in ones are files in `openapi/profiles/`; a calibrated account is a file of the same format.
 * Nothing outside `src/vendor/` knows a key's casing or a status word.
 */

/** A request's generation: the 2016 document's shapes, or today's (`openapi/profile.schema.json`, `shapes`). */
export type Shape = 'document' | 'current';

/** A JSON body whose string values may be placeholders (`$customerIds`, `$contactIds`, `$customers`, `$customer`, `$message`). */
export type Template = Record<string, unknown>;

export type ErrorAnswer = {
  message: string;
  specific?: boolean;
  byOperation?: Partial<Record<OperationId, string>>;
  bodyByOperation?: Partial<Record<OperationId, Template>>;
  status?: number;
};

export type ShapeAnswers = {
  unsetFields: 'omit' | 'empty';
  emptyMeansAbsent: boolean;
  addRequires: Array<Array<'name' | 'email' | 'phone'>>;
  batch: 'all' | 'first';
  answers: Record<OperationId, Template>;
  failure: Template;
  errors: Record<ErrorCode, ErrorAnswer>;
};

export type Profile = {
  name: string;
  description?: string;
  shapes: Record<Shape, ShapeAnswers>;
  evidence?: Record<string, unknown>;
  unobserved?: string[];
};

export const PROFILE_SCHEMA_PATH = fileURLToPath(new URL('../../openapi/profile.schema.json', import.meta.url));
export const BUILT_IN_PROFILES = ['document', 'current'] as const;
export type BuiltInProfile = (typeof BUILT_IN_PROFILES)[number];

let validator: ValidateFunction | undefined;
const builtIns = new Map<string, Profile>();

export function profileSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(PROFILE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

/** Checks a profile against its schema; the error says where it is wrong. */
export function validateProfile(value: unknown, source: string): Profile {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    validator = ajv.compile(profileSchema());
  }
  if (validator(value)) return value as unknown as Profile;
  const problems = (validator.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(profile)'} ${e.message ?? 'is invalid'}`);
  throw new Error(`${source} is not a valid answer profile: ${problems.join('; ')} (see GET /__sandbox/profile.schema.json)`);
}

export function isBuiltInProfile(name: unknown): name is BuiltInProfile {
  return typeof name === 'string' && (BUILT_IN_PROFILES as readonly string[]).includes(name);
}

/** A built-in profile by name (`document`, `current`), read once. */
export function builtInProfile(name: BuiltInProfile): Profile {
  let profile = builtIns.get(name);
  if (!profile) {
    const path = fileURLToPath(new URL(`../../openapi/profiles/${name}.json`, import.meta.url));
    profile = validateProfile(JSON.parse(readFileSync(path, 'utf8')), `openapi/profiles/${name}.json`);
    builtIns.set(name, profile);
  }
  return profile;
}

/**
 * A profile from what a user gives: a built-in name, a profile object, or a path to a profile
 * file (`serve --profile PATH`). Throws saying what is wrong and what to do.
 */
export function resolveProfile(given: string | Profile): Profile {
  if (typeof given !== 'string') return validateProfile(given, 'the profile');
  if (isBuiltInProfile(given)) return builtInProfile(given);
  let text: string;
  try {
    text = readFileSync(given, 'utf8');
  } catch (error) {
    throw new Error(
      `profile "${given}" is neither a built-in (${BUILT_IN_PROFILES.join(', ')}) nor a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`profile file ${given} is not JSON (${(error as Error).message})`);
  }
  return validateProfile(parsed, `profile file ${given}`);
}
