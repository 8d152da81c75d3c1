import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CHECKPOINT_LOG, checkpointStream } from '../../domain/audit/checkpoint.events.js';
import { AUDIT_CHAIN, type AuditChain, type VerifyReport } from '../ports/audit-chain.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import {
  AUDIT_STATE,
  LAST_CHECKPOINT,
  LAST_VERIFICATION,
  type LastCheckpointDoc,
  type LastVerificationDoc,
} from './audit.view.js';

/** Recompute every hash chain and checkpoint from the log as stored; the result is kept for /health/ready. */
export class VerifyAuditQuery extends Query<VerifyReport> {
  constructor(
    readonly fromPosition: bigint = 0n,
    readonly onProgress?: (checkedEvents: number) => void,
  ) {
    super();
  }
}

@QueryHandler(VerifyAuditQuery)
export class VerifyAuditHandler implements IQueryHandler<VerifyAuditQuery> {
  constructor(
    @Inject(AUDIT_CHAIN) private readonly chain: AuditChain,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async execute({ fromPosition, onProgress }: VerifyAuditQuery): Promise<VerifyReport> {
    await this.store.ensureCollection({ name: AUDIT_STATE });
    const state = this.store.collection(AUDIT_STATE);
    let report = await this.chain.verify({ fromPosition, onProgress });
    // The last checkpoint recorded must still be in the log: else its stream lost its tail.
    const witness = (await state.findById(LAST_CHECKPOINT)) as LastCheckpointDoc | null;
    const inLog = report.checkpoints.last?.sequence ?? 0;
    if (report.ok && witness && witness.sequence > inLog)
      report = {
        ...report,
        ok: false,
        firstBroken: {
          streamId: checkpointStream(CHECKPOINT_LOG),
          revision: inLog,
          position: null,
          reason: 'removed',
          detail: `checkpoint ${witness.sequence} (position ${witness.position}) was recorded; the log ends at checkpoint ${inLog}`,
        },
      };
    await state.put({ _id: LAST_VERIFICATION, ...report } satisfies LastVerificationDoc);
    return report;
  }
}
