import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export class AdjustStockCommand extends Command<{ stock: number; position: bigint; revision: bigint }> {
  constructor(
    readonly productId: string,
    readonly input: { delta: number; reason: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
