/**
 * The tamper evidence of the log: every event is chained to the one before it in its stream (the event
 * codec does it as it writes), and signed checkpoints record the heads of every chain as a Merkle
 * root. This port recomputes all of it from the events as stored, and drafts the next checkpoint.
 */
import type { CheckpointBody } from '../../domain/audit/checkpoint.events.js';

export const AUDIT_CHAIN = Symbol('AuditChain');

/**
 * - `changed`: the event's content is not what its hash was computed over;
 * - `removed`: an event is missing (a gap in the revisions, or a checkpoint's head no longer there);
 * - `inserted`: an event that was not written through the chain, or one more than a checkpoint recorded;
 * - `reordered`: a genuine event of the stream at another place than it was written;
 * - `checkpoint`: a checkpoint whose signature, key or Merkle root does not hold.
 */
export type BreakReason = 'changed' | 'removed' | 'inserted' | 'reordered' | 'checkpoint';

export interface BrokenLink {
  streamId: string;
  /** The revision where the chain breaks (for `removed`, the first missing one). */
  revision: number;
  /** The position of the event found there (for `removed`, of the event after the gap, or null). */
  position: string | null;
  reason: BreakReason;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checkedEvents: number;
  /** The last event checked. */
  head: { position: string; hash: string | null } | null;
  checkpoints: { checked: number; last: { sequence: number; toPosition: string; signedAt: string } | null };
  firstBroken?: BrokenLink;
  fromPosition: string;
  verifiedAt: string;
}

export interface VerifyOptions {
  /** Check events after this position only (links into earlier events, and Merkle roots, are then taken on trust). */
  fromPosition?: bigint;
  onProgress?(checkedEvents: number): void;
}

/** What the next checkpoint will state, signed; null when nothing moved since the last one. */
export type CheckpointDraft = CheckpointBody & { signature: string };

export interface AuditChain {
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  draftCheckpoint(): Promise<CheckpointDraft | null>;
}
