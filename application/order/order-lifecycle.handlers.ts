import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderCommand } from '../../domain/order/order.commands.js';
import { decideOrder } from '../../domain/order/order.decide.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { orderStream } from '../../domain/order/order.events.js';
import { orderTotals } from '../../domain/order/order.money.js';
import type { OrderFacts } from '../../domain/order/order.state.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { addDays, assertIsoDate, dateOf } from '../../domain/shared/date-range.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend } from '../shared/event-sourcing.js';
import { decideOnProduct } from '../product/product-repository.js';
import { OrderDeps, orderEvolver } from './order-deps.js';
import {
  CancelOrderCommand,
  CloseOrderCommand,
  ConfirmOrderCommand,
  ExpireOrderCommand,
  ExtendOrderCommand,
  PickUpOrderCommand,
  ReturnOrderCommand,
} from './order-lifecycle.commands.js';
import { releaseUnits } from './release-units.js';

/** Decide on the order (checking visibility first) and append under its revision (If-Match pins it). */
async function onOrder(deps: OrderDeps, orderId: string, owner: string | undefined, command: (order: OrderFacts) => OrderCommand, ctx: CommandContext) {
  await deps.loadVisible(orderId, owner);
  const result = await decideAndAppend(deps, orderStream(orderId), orderEvolver, (state) => decideOrder(command(state as OrderFacts), state), ctx);
  const order = result.state as OrderFacts;
  return { order, status: order.status, position: result.position!, revision: result.revision! };
}

const outcome = ({ status, position, revision }: { status: OrderFacts['status']; position: bigint; revision: bigint }, released = 0n) => ({
  status,
  position: released > position ? released : position,
  revision,
});

@CommandHandler(ConfirmOrderCommand)
export class ConfirmOrderHandler implements ICommandHandler<ConfirmOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, ctx, ownerCustomerId }: ConfirmOrderCommand) {
    const now = this.deps.now();
    const { state } = await this.deps.loadVisible(orderId, ownerCustomerId);
    decideOrder({ type: 'ConfirmOrder', data: { now } }, state); // refuse early, before touching products
    if (state.status === 'reserved') {
      for (const line of state.items) {
        try {
          await decideOnProduct(this.deps, line.productId, () => ({ type: 'ConfirmHold', data: { orderId, now } }), ctx);
        } catch (error) {
          if (error instanceof DomainError && (error.code === ProductErrors.holdExpired || error.code === ProductErrors.holdNotFound)) {
            throw new DomainError(OrderErrors.holdExpired, `The units held for this order were released (${error.message})`);
          }
          throw error;
        }
      }
    }
    return outcome(await onOrder(this.deps, orderId, ownerCustomerId, () => ({ type: 'ConfirmOrder', data: { now } }), ctx));
  }
}

@CommandHandler(ExtendOrderCommand)
export class ExtendOrderHandler implements ICommandHandler<ExtendOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, rentalEnd, ctx, ownerCustomerId }: ExtendOrderCommand) {
    assertIsoDate(rentalEnd, 'rentalEnd');
    const now = this.deps.now();
    const { state } = await this.deps.loadVisible(orderId, ownerCustomerId);
    decideOrder({ type: 'ExtendOrder', data: { rentalEnd, now } }, state);
    const extended: Array<{ productId: string; previousTo: string }> = [];
    const shortfalls: Array<Record<string, unknown>> = [];
    for (const line of state.items) {
      try {
        const result = await decideOnProduct(this.deps, line.productId, (p) => ({ type: 'ExtendBooking', data: { orderId, to: addDays(rentalEnd, p.status === 'unregistered' ? 0 : p.bufferDays), now } }), ctx);
        const event = result.events[0];
        if (event?.type === 'BookingExtended') extended.push({ productId: line.productId, previousTo: event.data.previousTo });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ProductErrors.unitsUnavailable) throw error;
        shortfalls.push(...(error.errors ?? []));
      }
    }
    if (shortfalls.length > 0) {
      for (const { productId, previousTo } of extended) {
        await decideOnProduct(this.deps, productId, () => ({ type: 'ExtendBooking', data: { orderId, to: previousTo, now } }), ctx);
      }
      throw new DomainError(ProductErrors.unitsUnavailable, 'The units are not free for the added days', shortfalls);
    }
    const result = await onOrder(this.deps, orderId, ownerCustomerId, () => ({ type: 'ExtendOrder', data: { rentalEnd, now } }), ctx);
    return { ...outcome(result), rentalEnd: result.order.rentalEnd, total: orderTotals(result.order).total };
  }
}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, reason, ctx, ownerCustomerId }: CancelOrderCommand) {
    const now = this.deps.now();
    const result = await onOrder(this.deps, orderId, ownerCustomerId, () => ({ type: 'CancelOrder', data: { reason, policy: this.deps.settings.cancellation, now } }), { ...ctx, reason });
    const released = await releaseUnits(this.deps, result.order, 'cancelled', ctx);
    return { ...outcome(result, released), cancellationFee: result.order.cancellationFee };
  }
}

@CommandHandler(ExpireOrderCommand)
export class ExpireOrderHandler implements ICommandHandler<ExpireOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, ctx }: ExpireOrderCommand) {
    const result = await onOrder(this.deps, orderId, undefined, () => ({ type: 'ExpireOrder', data: { now: this.deps.now() } }), ctx);
    return outcome(result, await releaseUnits(this.deps, result.order, 'expired', ctx));
  }
}

@CommandHandler(PickUpOrderCommand)
export class PickUpOrderHandler implements ICommandHandler<PickUpOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, ctx }: PickUpOrderCommand) {
    return outcome(await onOrder(this.deps, orderId, undefined, () => ({ type: 'PickUpOrder', data: { now: this.deps.now() } }), ctx));
  }
}

@CommandHandler(ReturnOrderCommand)
export class ReturnOrderHandler implements ICommandHandler<ReturnOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, input, ctx }: ReturnOrderCommand) {
    const now = this.deps.now();
    const returnedOn = input.returnedOn ?? dateOf(now);
    assertIsoDate(returnedOn, 'returnedOn');
    const result = await onOrder(
      this.deps,
      orderId,
      undefined,
      () => ({ type: 'ReturnOrder', data: { returnedOn, damages: input.damages ?? [], policy: this.deps.settings.lateReturn, now } }),
      ctx,
    );
    const released = await releaseUnits(this.deps, result.order, 'returned', ctx);
    return { ...outcome(result, released), lateFee: result.order.lateFee, damageCharges: result.order.damageCharges, balance: orderTotals(result.order).balance };
  }
}

@CommandHandler(CloseOrderCommand)
export class CloseOrderHandler implements ICommandHandler<CloseOrderCommand> {
  constructor(private readonly deps: OrderDeps) {}
  async execute({ orderId, ctx }: CloseOrderCommand) {
    return outcome(await onOrder(this.deps, orderId, undefined, () => ({ type: 'CloseOrder', data: { now: this.deps.now() } }), ctx));
  }
}
