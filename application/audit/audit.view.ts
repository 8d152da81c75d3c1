import type { VerifyReport } from '../ports/audit-chain.port.js';

/** What the audit keeps beside the log (read store): the last verification, and the last checkpoint as a witness. */
export const AUDIT_STATE = 'sys_audit';
export const LAST_VERIFICATION = 'last-verification';
export const LAST_CHECKPOINT = 'last-checkpoint';

export type LastVerificationDoc = { _id: typeof LAST_VERIFICATION } & VerifyReport;

/** Recorded when a checkpoint is: a checkpoint later missing from the log is a removed tail of its stream. */
export interface LastCheckpointDoc {
  _id: typeof LAST_CHECKPOINT;
  [key: string]: unknown;
  sequence: number;
  toPosition: string;
  position: string;
  signedAt: string;
}
