import { Module } from '@nestjs/common';
import { AsOfHandler } from './as-of.query.js';
import { RecordExportHandler } from './record-export.handler.js';
import { SecurityEventsHandler } from './security-events.query.js';
import { ExportEventsHandler, ReadStreamHistoryHandler, SearchEventsHandler } from './audit.queries.js';
import { AuditCheckpointJob } from './checkpoint.job.js';
import { TakeCheckpointHandler } from './take-checkpoint.handler.js';
import { VerifyAuditJob } from './verify-audit.job.js';
import { VerifyAuditHandler } from './verify-audit.query.js';

@Module({
  providers: [
    ReadStreamHistoryHandler,
    SearchEventsHandler,
    ExportEventsHandler,
    VerifyAuditHandler,
    AsOfHandler,
    RecordExportHandler,
    SecurityEventsHandler,
    TakeCheckpointHandler,
    AuditCheckpointJob,
    VerifyAuditJob,
  ],
  exports: [AuditCheckpointJob, VerifyAuditJob],
})
export class AuditModule {}
