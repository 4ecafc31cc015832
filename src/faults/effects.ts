import type { ErrorCode } from '../errors.js';

export type ConnectionFault = 'reset' | 'close' | 'hang';

/** What one fault (a header item or a firing rule) does to a request. */
export type FaultEffect = {
  error?: ErrorCode;
  status?: number;
  latencyMs?: number;
  connection?: ConnectionFault;
};

/** A fault with where it came from, as the journal shows it (`header:latency=800`, `rule-2:ServerFailure`). */
export type AppliedFault = { label: string; effect: FaultEffect };

/** The faults of one request, combined: latencies add up, the first error or connection fault wins. */
export type FaultPlan = {
  error?: ErrorCode;
  status?: number;
  latencyMs: number;
  connection?: ConnectionFault;
  labels: string[];
  /** The label of the fault whose error or connection fault won. */
  decidedBy?: string;
};

export function combineFaults(faults: AppliedFault[]): FaultPlan {
  const winner = faults.find(({ effect }) => effect.error !== undefined || effect.connection !== undefined);
  const decisive = winner?.effect;
  // A status overrides the HTTP status of whatever is answered: the injected error's, or the normal answer's.
  const statusOnly = faults.find(({ effect }) => effect.status !== undefined && effect.error === undefined && effect.connection === undefined);
  const status = decisive?.status ?? statusOnly?.effect.status;
  const plan: FaultPlan = {
    latencyMs: faults.reduce((total, { effect }) => total + (effect.latencyMs ?? 0), 0),
    labels: faults.map(({ label }) => label),
  };
  if (decisive?.error !== undefined) plan.error = decisive.error;
  if (decisive?.connection !== undefined) plan.connection = decisive.connection;
  if (status !== undefined) plan.status = status;
  if (winner) plan.decidedBy = winner.label;
  return plan;
}
