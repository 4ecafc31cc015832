import { builtInProfile, type Profile, type Shape } from '../vendor/profile.js';
import type { OperationId } from '../operations/ids.js';
import type { ErrorCode } from '../errors.js';
import type { Target } from './target.js';

/**
 * What the run expects of profile and decision checks, and whether a difference fails:
 * `enforce` (a sandbox of a known profile, or --profile given: a difference is drift) or `observe`
 * (an account checked without --profile: differences are reported next to the default, never failed).
 */
export type Expectation = {
  profile: Profile;
  /** How the report names it: `document`, or the file given to --profile. */
  label: string;
  mode: 'enforce' | 'observe';
  /** Why the run observes, for the report (e.g. "pass --profile FILE to check for drift"). */
  why?: string;
};

/** Without a choice: a sandbox is held to the default profile, anything else is observed against it. */
export function defaultExpectation(target: Target): Expectation {
  const profile = builtInProfile('document');
  return target.kind === 'sandbox'
    ? { profile, label: 'document', mode: 'enforce' }
    : { profile, label: 'document', mode: 'observe', why: `${target.baseUrl} is not a sandbox and no --profile was given` };
}

/** The success template of an operation in one shape of the profile. */
export function answerTemplate(expectation: Expectation, operation: OperationId, shape: Shape = 'document'): Record<string, unknown> {
  return expectation.profile.shapes[shape].answers[operation];
}

/** The failure body a profile gives an error code on an operation, and its text (undefined: the sandbox's own, specific text). */
export function failureTemplate(
  expectation: Expectation,
  operation: OperationId,
  code: ErrorCode,
  shape: Shape = 'document',
): { template: Record<string, unknown>; message: string | undefined } {
  const answers = expectation.profile.shapes[shape];
  const entry = answers.errors[code];
  const message = entry.specific ? undefined : (entry.byOperation?.[operation] ?? entry.message);
  return { template: entry.bodyByOperation?.[operation] ?? answers.failure, message };
}
