import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** The signed-in user ends one of its own sessions (signing out a device). */
export class EndSessionCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly sessionId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
