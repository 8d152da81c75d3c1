import { Command } from '@nestjs/cqrs';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export class RepriceProductCommand extends Command<{ position: bigint; revision: bigint }> {
  constructor(
    readonly productId: string,
    readonly input: { dailyRate: Money; deposit?: Money },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
