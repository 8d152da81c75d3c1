import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';
import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class ExtendOrderCommand extends OrderCommand<OrderCommandResult & { rentalEnd: string; total: Money }> {
  constructor(
    orderId: string,
    readonly rentalEnd: string,
    ctx: CommandContext,
    ownerCustomerId?: string,
  ) {
    super(orderId, ctx, ownerCustomerId);
  }
}
