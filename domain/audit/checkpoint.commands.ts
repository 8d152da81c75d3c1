import type { AuditCheckpointRecorded } from './checkpoint.events.js';

export type CheckpointCommand = { type: 'RecordCheckpoint'; data: AuditCheckpointRecorded['data'] };
