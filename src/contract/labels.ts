/**
 * Where a check's expectation comes from, which decides whether it may fail against a real account:
 * - `fact`: the vendor's documents and what holds on every Kapture account (a wrong key refused,
 *   Gson dates, 0-based Calendar months, a select within its range, a write then visible).
 * - `profile`: what differs between accounts and generations (casing, status words, messages,
 *   answer shapes, empty fields): checked against the run's profile.
 * - `decision`: an ambiguity no public source settles, decided by the sandbox (a multi-item search
 *   answering every item): checked against the run's profile too.
 * Against a target that is not a sandbox, without --profile, profile and decision checks observe:
 * they report what the account answered and never fail.
 */
export const SOURCES = ['fact', 'profile', 'decision'] as const;
export type CheckSource = (typeof SOURCES)[number];
