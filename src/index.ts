/** The library: start a sandbox from your own test code. */
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { ERROR_CODES, type ErrorCode } from './errors.js';
export { OPERATION_IDS, type OperationId } from './operations/ids.js';
export { defaultKeys, DEFAULT_TENANT } from '../seeds/keys.js';
export { controlClient, type ControlClient, type Health, type JournalQuery, type KeyInput, type TenantCreated, type VerifyQuery, type VerifySuccess } from './client.js';
export { VerifyError } from './verify/message.js';
export type { VerifyCriteria, VerifyResult, NearMiss, Difference } from './verify/criteria.js';
export type { CoverageReport } from './coverage/report.js';
export type { FaultRuleInput, FaultRuleState } from './faults/rules.js';
export type { JournalEntry } from './journal.js';
export type { SnapshotInfo } from './snapshots.js';
export type { KeyRecord } from './records.js';
