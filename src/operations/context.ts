import type { Store } from '../store/store.js';

/** What an operation sees: the store, the tenant of the key used, and the request's time. */
export type OperationContext = { store: Store; tenant: number; now: Date };

/** An operation's answer: the vendor success body, warnings to report, and whether it changed the store. */
export type OperationResult = { body: unknown; warnings: string[]; mutated: boolean };
