import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { orderTotals } from '../../domain/order/order.money.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { addDays, assertIsoDate } from '../../domain/shared/date-range.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CommandPath, assertExpectedRevision, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { CustomerLimits } from './customer-limits.js';
import { ExtendOrderCommand } from './extend-order.command.js';
import { factsOf, visibleTo } from './order-command.js';

/**
 * Extends every product's booking, then the order. A product without the units for the added days
 * refuses the whole extension, with every shortfall, after the bookings already extended are put back.
 * A customer extending its own order may not go past the longest rental it may book.
 */
@CommandHandler(ExtendOrderCommand)
export class ExtendOrderHandler implements ICommandHandler<ExtendOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly limits: CustomerLimits,
  ) {}

  async execute({ orderId, rentalEnd, ctx, ownerCustomerId }: ExtendOrderCommand) {
    assertIsoDate(rentalEnd, 'rentalEnd');
    const now = this.deps.now();
    const command = { type: 'ExtendOrder' as const, data: { rentalEnd, now } };
    const loaded = await this.path.load(orderDecider, orderId, visibleTo(ownerCustomerId));
    assertExpectedRevision(orderDecider.streamOf(orderId), loaded, ctx.ifMatch);
    orderDecider.decide(command, loaded.state);
    if (ownerCustomerId !== undefined) this.limits.assertRentalLength(factsOf(loaded.state).rentalStart, rentalEnd);

    const extended: Array<{ productId: string; previousTo: string }> = [];
    const shortfalls: Array<Record<string, unknown>> = [];
    let bookings = 0n;
    for (const line of factsOf(loaded.state).items) {
      try {
        const result = await this.path.handle(
          productDecider,
          line.productId,
          (p) => ({
            type: 'ExtendBooking' as const,
            data: { orderId, to: addDays(rentalEnd, p.status === 'unregistered' ? 0 : p.bufferDays), now },
          }),
          ctx,
        );
        const event = result.events[0];
        if (event?.type === 'BookingExtended')
          extended.push({ productId: line.productId, previousTo: event.data.previousTo });
        bookings = latest(bookings, result.position);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ProductErrors.unitsUnavailable) throw error;
        shortfalls.push(...(error.errors ?? []));
      }
    }
    if (shortfalls.length > 0) {
      for (const { productId, previousTo } of extended) {
        await this.path.handle(
          productDecider,
          productId,
          { type: 'ExtendBooking', data: { orderId, to: previousTo, now } },
          ctx,
        );
      }
      throw new DomainError(ProductErrors.unitsUnavailable, 'The units are not free for the added days', shortfalls);
    }
    const result = await this.path.handle(orderDecider, orderId, command, ctx, {
      loaded,
      guard: visibleTo(ownerCustomerId),
      expectedRevision: ctx.ifMatch,
    });
    const order = factsOf(result.state);
    return {
      status: order.status,
      position: latest(result.position, bookings),
      revision: result.revision!,
      rentalEnd: order.rentalEnd,
      total: orderTotals(order).total,
    };
  }
}
