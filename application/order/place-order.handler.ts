import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { orderDecider } from '../../domain/order/order.decider.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import type { OrderLine } from '../../domain/order/order.events.js';
import { orderTotals } from '../../domain/order/order.money.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { addDays, assertIsoDate, rentalDays } from '../../domain/shared/date-range.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { CustomerLimits } from './customer-limits.js';
import { factsOf } from './order-command.js';
import { PlaceOrderCommand } from './place-order.command.js';

/**
 * Places an order: holds units on every product's stream (each decided under that product's
 * expected revision), and only when all are held records the order. A line that cannot be held
 * refuses the whole order with every per-day shortfall, after releasing the holds already taken.
 * A crash between the holds and the order leaves holds that expire by themselves. A customer ordering
 * for itself is held to the customer limits (how many orders and units it holds, how long it rents).
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly limits: CustomerLimits,
  ) {}

  async execute(command: PlaceOrderCommand) {
    const { input, ownerCustomerId } = command;
    if (ownerCustomerId === undefined) return this.place(command);
    assertIsoDate(input.rentalStart, 'rentalStart');
    assertIsoDate(input.rentalEnd, 'rentalEnd');
    this.limits.assertRentalLength(input.rentalStart, input.rentalEnd);
    const units = input.items.reduce((sum, item) => sum + item.quantity, 0);
    return this.limits.holding(ownerCustomerId, units, () => this.place(command));
  }

  private async place({ input, ctx, ownerCustomerId }: PlaceOrderCommand) {
    const customerId = await this.customerOf(input.customerId, ownerCustomerId);
    assertIsoDate(input.rentalStart, 'rentalStart');
    assertIsoDate(input.rentalEnd, 'rentalEnd');

    const { settings } = this.deps;
    const now = this.deps.now();
    const orderId = this.deps.ids.uuid();
    const holdExpiresAt = new Date(Date.parse(now) + settings.holdTtlSeconds * 1000).toISOString();
    const quantities = new Map<string, number>();
    for (const item of input.items)
      quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
    const fulfilment = input.fulfilment ?? { method: 'pickup' as const };
    const place = (items: OrderLine[]) => ({
      type: 'PlaceOrder' as const,
      data: {
        orderId,
        customerId,
        rentalStart: input.rentalStart,
        rentalEnd: input.rentalEnd,
        items,
        holdExpiresAt,
        fulfilment,
        now,
      },
    });
    const days = rentalDays(input.rentalStart, input.rentalEnd);
    // Dates and shape first, on a dry run (the decider is pure), before any unit is held.
    const zero = { amount: 0, currency: settings.currency };
    orderDecider.decide(
      place(
        [...quantities].map(([productId, quantity]) => ({
          productId,
          sku: '',
          name: '',
          quantity,
          dailyRate: zero,
          unitDeposit: zero,
          lineTotal: zero,
        })),
      ),
      orderDecider.initialState(),
    );

    const lines: OrderLine[] = [];
    const shortfalls: Array<Record<string, unknown>> = [];
    const held: string[] = [];
    for (const [productId, quantity] of [...quantities].sort(([a], [b]) => a.localeCompare(b))) {
      try {
        const result = await this.path.handle(
          productDecider,
          productId,
          (p) => ({
            type: 'HoldUnits' as const,
            data: {
              orderId,
              quantity,
              from: input.rentalStart,
              to: addDays(input.rentalEnd, p.status === 'unregistered' ? 0 : p.bufferDays),
              holdExpiresAt,
              now,
            },
          }),
          ctx,
        );
        held.push(productId);
        const p = result.state;
        if (p.status === 'unregistered') throw new DomainError(ProductErrors.notFound, `No product ${productId}`);
        lines.push({
          productId,
          sku: p.sku,
          name: p.name,
          quantity,
          dailyRate: p.dailyRate,
          unitDeposit: p.deposit,
          lineTotal: { amount: p.dailyRate.amount * days * quantity, currency: p.dailyRate.currency },
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === ProductErrors.unitsUnavailable) shortfalls.push(...(error.errors ?? []));
        else if (error.code === ProductErrors.notFound) shortfalls.push({ productId, message: 'no such product' });
        else if (error.code === ProductErrors.retired) shortfalls.push({ productId, message: 'retired' });
        else throw error;
      }
    }
    if (shortfalls.length > 0) {
      await this.release(held, orderId, ctx);
      throw new DomainError(ProductErrors.unitsUnavailable, 'Some items are not available for these dates', shortfalls);
    }
    try {
      const result = await this.path.handle(orderDecider, orderId, place(lines), ctx);
      const order = factsOf(result.state);
      return {
        orderId,
        status: 'reserved' as const,
        rentalDays: order.rentalDays,
        subtotal: order.subtotal,
        deposit: order.deposit,
        total: orderTotals(order).total,
        holdExpiresAt: order.holdExpiresAt, // the recorded one: a settled retry answers what the first attempt did
        position: result.position!,
        revision: result.revision!,
      };
    } catch (error) {
      await this.release(held, orderId, ctx);
      throw error;
    }
  }

  private async customerOf(requested: string | undefined, owner: string | undefined): Promise<string> {
    if (owner !== undefined && requested !== undefined && requested !== owner)
      throw new DomainError(CustomerErrors.notFound, `No customer ${requested}`);
    const customerId = owner ?? requested;
    if (!customerId)
      throw new DomainError(OrderErrors.invalid, 'customerId is required', [
        { field: 'customerId', message: 'required' },
      ]);
    if (!(await this.path.exists(customerDecider, customerId)))
      throw new DomainError(CustomerErrors.notFound, `No customer ${customerId}`);
    return customerId;
  }

  private async release(productIds: string[], orderId: string, ctx: CommandContext): Promise<void> {
    const now = this.deps.now();
    for (const productId of productIds) {
      await this.path
        .handle(productDecider, productId, { type: 'ReleaseUnits', data: { orderId, reason: 'refused', now } }, ctx)
        .catch((error: Error) =>
          this.deps.logger.warn('could not release a refused hold; it will expire', {
            productId,
            orderId,
            error: error.message,
          }),
        );
    }
  }
}
