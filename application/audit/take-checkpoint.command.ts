import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export interface CheckpointsTaken {
  /** How many checkpoints were recorded (0: nothing moved since the last one). */
  recorded: number;
  last: {
    sequence: number;
    fromPosition: string;
    toPosition: string;
    chains: number;
    root: string;
    position: string;
  } | null;
}

/** Record signed checkpoints of every hash chain until they cover the log (a job does it periodically, an auditor on demand). */
export class TakeCheckpointCommand extends Command<CheckpointsTaken> {
  constructor(readonly ctx: CommandContext) {
    super();
  }
}
