import type { ContractSuite } from '../src/contract/check.js';
import { dateChecks } from './read-only/dates.js';
import { readErrorChecks } from './read-only/errors.js';
import { searchChecks } from './read-only/search.js';
import { profileChecks } from './read-only/profile.js';
import { selectChecks } from './read-only/select.js';
import { faultChecks } from './sandbox-only/faults.js';
import { sandboxKeyChecks } from './sandbox-only/keys.js';
import { newRunState, type RunState } from './support/state.js';
import { writeAnswerChecks } from './writes/answers.js';
import { customerFlowChecks } from './writes/customer-flow.js';
import { writeErrorChecks } from './writes/errors.js';

/**
 * The contract suite, in the order it runs: what creates nothing first, then what writes (the
 * flow needs the customer `add.array-body` creates), then what only a sandbox can do, faults last
 * (a hang or a reset must not disturb anything after it).
 */
export const contractSuite: ContractSuite<RunState> = {
  checks: [
    ...searchChecks,
    ...selectChecks,
    ...dateChecks,
    ...readErrorChecks,
    ...profileChecks,
    ...writeAnswerChecks,
    ...writeErrorChecks,
    ...customerFlowChecks,
    ...sandboxKeyChecks,
    ...faultChecks,
  ],
  newState: newRunState,
};
