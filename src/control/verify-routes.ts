import type { Response, Router } from 'express';
import { presentEntry, type Recorded } from '../journal.js';
import { exceeded, expectedInWords, satisfied, waitsOut, type VerifyCriteria, type VerifyResult } from '../verify/criteria.js';
import { Matcher } from '../verify/match.js';
import type { ControlDeps } from './deps.js';
import { ControlError, validBody } from './errors.js';
import { scopedTenant, scopeOf } from './scope.js';

const EXAMPLE = '{"operation": "searchCustomer", "error": "none", "body": {"customer_id": "272930"}, "atLeast": 1, "withinMs": 2000}';

/**
 * `POST /verify`: did the client send what it should have. A verify that must wait does not poll:
 * it listens to the journal and is answered when the entry that settles it is recorded.
 */
export function verifyRoutes(router: Router, deps: ControlDeps): void {
  router.post('/verify', (req, res) => {
    const criteria = validBody<VerifyCriteria>('VerifyRequest', req.body ?? {}, EXAMPLE);
    if (criteria.count !== undefined && (criteria.atLeast !== undefined || criteria.atMost !== undefined)) {
      throw new ControlError(400, 'count means exactly that many: give count alone, or atLeast and/or atMost');
    }
    if (criteria.atLeast !== undefined && criteria.atMost !== undefined && criteria.atLeast > criteria.atMost) {
      throw new ControlError(400, `atLeast ${criteria.atLeast} is more than atMost ${criteria.atMost}: no count can satisfy both`);
    }
    const scope = scopeOf(req);
    const tenant = scopedTenant(scope, criteria.tenant, 'the verify');
    const since = criteria.since === undefined ? undefined : Date.parse(criteria.since);
    const matcher = new Matcher(criteria, scope, since);
    const windowStart = since ?? deps.tenancy.windowStart(tenant);
    new Verification(deps, criteria, matcher, windowStart, res).start();
  });
}

/** One verify: the journal as it is, then (within `withinMs`) each entry as it is recorded. */
class Verification {
  #matching: Recorded[] = [];
  #stop: Array<() => void> = [];
  #done = false;

  constructor(
    private readonly deps: ControlDeps,
    private readonly criteria: VerifyCriteria,
    private readonly matcher: Matcher,
    private readonly windowStart: number,
    private readonly res: Response,
  ) {}

  start(): void {
    this.#matching = this.matcher.search(this.deps.journal.entries(), 0).matching;
    const withinMs = this.criteria.withinMs ?? 0;
    if (this.#decided() || withinMs === 0) return this.#answer();
    this.#stop.push(this.deps.journal.subscribe((entry) => this.#seen(entry)));
    const timer = setTimeout(() => this.#answer(), withinMs);
    this.#stop.push(() => clearTimeout(timer));
    // A client that gives up stops the wait.
    this.res.on('close', () => this.#finish());
  }

  /** Settled before the window ends: exceeded (count, atMost), or reached (atLeast alone). */
  #decided(): boolean {
    const matched = this.#matching.length;
    return exceeded(this.criteria, matched) || (!waitsOut(this.criteria) && satisfied(this.criteria, matched));
  }

  #seen(entry: Recorded): void {
    try {
      if (!this.matcher.matches(entry)) return;
      this.#matching.push(entry);
      if (this.#decided()) this.#answer();
    } catch (error) {
      // Runs inside the vendor path's journal append: a failure here must not reach that request.
      this.#finish();
      if (!this.res.headersSent) this.res.status(500).json({ error: `unexpected error inside the sandbox while verifying: ${(error as Error).message}` });
    }
  }

  #answer(): void {
    if (this.#done) return;
    this.#finish();
    const matched = this.#matching.length;
    const journalComplete = !this.deps.journal.droppedSince(this.windowStart);
    const entries = this.#matching.map(presentEntry);
    let result: VerifyResult;
    if (satisfied(this.criteria, matched)) {
      result = { ok: true, matched, entries, journalComplete };
    } else {
      // Near misses only help when too few matched; when too many did, the matches are the story.
      const nearMisses = exceeded(this.criteria, matched) ? [] : this.matcher.search(this.deps.journal.entries()).nearMisses;
      result = { ok: false, matched, expected: expectedInWords(this.criteria), nearMisses, journalComplete, entries };
    }
    this.res.status(result.ok ? 200 : 409).json(result);
  }

  #finish(): void {
    this.#done = true;
    for (const stop of this.#stop.splice(0)) stop();
  }
}
