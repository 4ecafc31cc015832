import type { Store } from '../store/store.js';
import type { Answer } from '../vendor/answers.js';
import type { ShapeAnswers } from '../vendor/profile.js';

/**
 * What an operation sees: the store, the tenant of the key used, the request's time, and the
 * profile's conventions for the request's shape (which add fields are mandatory, how a batch is
 * answered). Operations never build an answer body: the profile does (`src/vendor/answers.ts`).
 */
export type OperationContext = { store: Store; tenant: number; now: Date; answers: ShapeAnswers };

/**
 * What an operation did: what its answer reports (the profile words the body), warnings to report,
 * and whether it changed the store.
 */
export type OperationResult = { answer: Answer; warnings: string[]; mutated: boolean };
