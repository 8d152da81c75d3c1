import { Command } from '@nestjs/cqrs';
import type { ReleaseUnits } from '../../domain/product/product.commands.js';
import type { CommandContext } from '../shared/command-context.js';

/** Free an order's units on every product it holds: after it was cancelled, expired or returned. */
export class ReleaseUnitsCommand extends Command<{ position: bigint }> {
  constructor(
    readonly order: { orderId: string; items: ReadonlyArray<{ productId: string }> },
    readonly reason: ReleaseUnits['data']['reason'],
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
