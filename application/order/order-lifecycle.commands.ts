import { Command } from '@nestjs/cqrs';
import type { Damage } from '../../domain/order/order.events.js';
import type { OrderStatus } from '../../domain/order/order.state.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export interface OrderCommandResult {
  status: OrderStatus;
  position: bigint;
  revision: bigint;
}

abstract class OrderCommandBase<R> extends Command<R> {
  constructor(
    readonly orderId: string,
    readonly ctx: CommandContext,
    /** Set when the caller acts as a customer: only its own orders exist for it. */
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

export class ConfirmOrderCommand extends OrderCommandBase<OrderCommandResult> {}
export class PickUpOrderCommand extends OrderCommandBase<OrderCommandResult> {}
export class CloseOrderCommand extends OrderCommandBase<OrderCommandResult> {}
export class ExpireOrderCommand extends OrderCommandBase<OrderCommandResult> {}

export class ExtendOrderCommand extends OrderCommandBase<OrderCommandResult & { rentalEnd: string; total: Money }> {
  constructor(orderId: string, readonly rentalEnd: string, ctx: CommandContext, ownerCustomerId?: string) {
    super(orderId, ctx, ownerCustomerId);
  }
}

export class CancelOrderCommand extends OrderCommandBase<OrderCommandResult & { cancellationFee: Money }> {
  constructor(orderId: string, readonly reason: string, ctx: CommandContext, ownerCustomerId?: string) {
    super(orderId, ctx, ownerCustomerId);
  }
}

export class ReturnOrderCommand extends OrderCommandBase<OrderCommandResult & { lateFee: Money; damageCharges: Money; balance: Money }> {
  constructor(orderId: string, readonly input: { returnedOn?: string; damages?: Damage[] }, ctx: CommandContext) {
    super(orderId, ctx);
  }
}
