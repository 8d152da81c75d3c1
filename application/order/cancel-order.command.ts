import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';
import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class CancelOrderCommand extends OrderCommand<OrderCommandResult & { cancellationFee: Money }> {
  constructor(
    orderId: string,
    readonly reason: string,
    ctx: CommandContext,
    ownerCustomerId?: string,
  ) {
    super(orderId, ctx, ownerCustomerId);
  }
}
