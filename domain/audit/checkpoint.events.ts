import { eventTypes } from '../shared/decider.js';

/** The head of one stream's hash chain: its last event as of a checkpoint. */
export interface ChainHead {
  streamId: string;
  revision: string;
  position: string;
  hash: string;
}

/**
 * What a checkpoint states, and what its signature covers (canonical JSON of everything but
 * `signature`): the log up to `toPosition` (inclusive) had `chains` streams whose heads hash to `root`
 * (a Merkle tree, leaves in the order the streams began), and since the checkpoint before it
 * (`fromPosition`, exclusive) these heads moved.
 */
export interface CheckpointBody {
  sequence: number;
  fromPosition: string;
  toPosition: string;
  chains: number;
  root: string;
  heads: ChainHead[];
  keyId: string;
  /** Ed25519 public key, base64 of its SPKI DER. */
  publicKey: string;
  signedAt: string;
}

/** A signed Merkle checkpoint of every hash chain, in the stream `auditcheckpoint-log`. */
export interface AuditCheckpointRecorded {
  type: 'AuditCheckpointRecorded';
  data: CheckpointBody & { signature: string };
}

export type CheckpointEvent = AuditCheckpointRecorded;

export const checkpointEventTypes = eventTypes<CheckpointEvent['type']>({ AuditCheckpointRecorded: true });

export const CHECKPOINT_STREAM_CATEGORY = 'auditcheckpoint';
export const checkpointStream = (id: string): string => `${CHECKPOINT_STREAM_CATEGORY}-${id}`;
/** The one checkpoint stream's id. */
export const CHECKPOINT_LOG = 'log';
