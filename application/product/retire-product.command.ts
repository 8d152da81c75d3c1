import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export class RetireProductCommand extends Command<{ position: bigint; revision: bigint }> {
  constructor(
    readonly productId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
