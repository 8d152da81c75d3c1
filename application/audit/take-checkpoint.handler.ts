import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AuditErrors } from '../../domain/audit/audit.errors.js';
import { CHECKPOINT_LOG } from '../../domain/audit/checkpoint.events.js';
import { checkpointDecider } from '../../domain/audit/checkpoint.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { AUDIT_CHAIN, type AuditChain } from '../ports/audit-chain.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CommandPath } from '../shared/command-path.js';
import { AUDIT_STATE, LAST_CHECKPOINT, type LastCheckpointDoc } from './audit.view.js';
import { TakeCheckpointCommand, type CheckpointsTaken } from './take-checkpoint.command.js';

/** At most this many checkpoints per call (each lists up to 2000 moved heads). */
const MAX_PER_CALL = 50;
/** Drafts made again when another taker (the worker's schedule, an auditor's call) recorded one first. */
const MAX_REDRAFTS = 10;

@CommandHandler(TakeCheckpointCommand)
export class TakeCheckpointHandler implements ICommandHandler<TakeCheckpointCommand> {
  constructor(
    private readonly path: CommandPath,
    @Inject(AUDIT_CHAIN) private readonly chain: AuditChain,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async execute({ ctx }: TakeCheckpointCommand): Promise<CheckpointsTaken> {
    await this.store.ensureCollection({ name: AUDIT_STATE });
    let recorded = 0;
    let last: CheckpointsTaken['last'] = null;
    let redrafts = 0;
    while (recorded < MAX_PER_CALL) {
      const draft = await this.chain.draftCheckpoint();
      if (!draft) break;
      let result;
      try {
        result = await this.path.handle(
          checkpointDecider,
          CHECKPOINT_LOG,
          { type: 'RecordCheckpoint', data: draft },
          ctx,
        );
      } catch (error) {
        // A draft is made from the log outside the decider: when another taker recorded a checkpoint
        // meanwhile, this one no longer follows it, and a fresh draft (from the new last one) is needed.
        if (error instanceof DomainError && error.code === AuditErrors.checkpointStale && redrafts++ < MAX_REDRAFTS)
          continue;
        throw error;
      }
      recorded++;
      const { sequence, fromPosition, toPosition, chains, root, signedAt } = draft;
      last = { sequence, fromPosition, toPosition, chains, root, position: String(result.position) };
      await this.store
        .collection<LastCheckpointDoc>(AUDIT_STATE)
        .put({ _id: LAST_CHECKPOINT, sequence, toPosition, position: String(result.position), signedAt });
    }
    return { recorded, last };
  }
}
