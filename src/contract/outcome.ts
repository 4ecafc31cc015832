/**
 * How a check ends other than by passing: thrown from anywhere inside it, classified by the runner.
 * Kept apart from the checks and the context, which both throw them.
 */

/** A check found the target breaking the contract; the message says what and how. */
export class ContractFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractFailure';
  }
}

/** One aspect of an answer that differs from the profile: where, what the profile says, what came. */
export type Drift = {
  operation: string;
  /** JSON path in the answer, e.g. `$.status` or `$["Kapture Customer Id"]`. */
  path: string;
  expected: string;
  seen: string;
};

/**
 * The target answered differently from the profile the run expects. Against a target checked
 * with a profile that is drift (a failure); without one, an observation (never a failure).
 */
export class ProfileDifference extends ContractFailure {
  constructor(
    message: string,
    readonly drift: Drift[],
  ) {
    super(message);
    this.name = 'ProfileDifference';
  }
}

/** A check cannot run; the message says what to provide for it to run. */
export class SkipCheck extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}

/** A check ran but found nothing to check (an empty list, say): neither a pass nor a failure. */
export class NothingToCheck extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NothingToCheck';
  }
}

export function fail(message: string): never {
  throw new ContractFailure(message);
}

export function skip(reason: string): never {
  throw new SkipCheck(reason);
}

export function nothingToCheck(reason: string): never {
  throw new NothingToCheck(reason);
}
