import type { Decider } from '../shared/decider.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { AuditErrors } from './audit.errors.js';
import type { CheckpointCommand } from './checkpoint.commands.js';
import { checkpointStream, type CheckpointEvent } from './checkpoint.events.js';

export interface CheckpointState {
  /** The sequence of the last checkpoint (0: none yet). */
  sequence: number;
  /** What the last checkpoint covers, inclusive ("0": nothing). */
  toPosition: string;
}

/** A checkpoint follows the one before it exactly: it was drafted from that one's end. */
function decide(command: CheckpointCommand, state: CheckpointState): CheckpointEvent[] {
  if (command.type !== 'RecordCheckpoint') return assertNever(command.type, 'checkpoint command');
  const c = command.data;
  if (c.sequence !== state.sequence + 1 || c.fromPosition !== state.toPosition)
    throw new DomainError(
      AuditErrors.checkpointStale,
      `Checkpoint ${c.sequence} from position ${c.fromPosition} does not follow checkpoint ${state.sequence} at ${state.toPosition}`,
    );
  return [{ type: 'AuditCheckpointRecorded', data: c }];
}

function evolve(state: CheckpointState, event: CheckpointEvent): CheckpointState {
  if (event.type !== 'AuditCheckpointRecorded') return assertNever(event.type, 'checkpoint event');
  return { sequence: event.data.sequence, toPosition: event.data.toPosition };
}

export const checkpointDecider: Decider<CheckpointCommand, CheckpointEvent, CheckpointState> = {
  streamOf: checkpointStream,
  initialState: () => ({ sequence: 0, toPosition: '0' }),
  evolve,
  decide,
};
