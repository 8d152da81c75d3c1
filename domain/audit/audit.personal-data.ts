import { noPersonalData, type PersonalDataOf } from '../shared/personal-data.js';
import type { CheckpointEvent } from './checkpoint.events.js';
import type { ExportEvent } from './export.events.js';

/**
 * Checkpoints hold hashes and positions only. An export records the auditor's client address and
 * user agent: encrypted under a key of that export's own (`auditexport:<id>`, from its stream), as the event names no
 * user in its data (the actor is in the metadata).
 */
export const auditPersonalData: PersonalDataOf<CheckpointEvent | ExportEvent> = {
  // Hashes, positions and a signature (its fields come through CheckpointBody, which the declaration test reads as none).
  AuditCheckpointRecorded: noPersonalData(),
  AuditExported: {
    subject: (_d, streamId) => `auditexport:${streamId.slice(streamId.indexOf('-') + 1)}`,
    personal: ['ipAddress', 'userAgent'],
    plain: [
      'exportId',
      'format',
      'criteria.fromPosition',
      'criteria.toPosition',
      'criteria.type',
      'criteria.since',
      'criteria.until',
      'exportedAt',
    ],
  },
};
