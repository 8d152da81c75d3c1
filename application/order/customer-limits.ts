import { Inject, Injectable } from '@nestjs/common';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { rentalDays } from '../../domain/shared/date-range.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ORDERS_READ_MODEL, type OrderDoc } from './order.view.js';

/**
 * Abuse limits on self-service orders (Settings.customerLimits): a customer ordering for itself holds
 * at most so many orders and units at once, and books rentals of at most so many days. Staff and admins
 * ordering for a customer are exempt (the handlers only ask for a customer acting for itself).
 *
 * Held means an order `reserved` whose hold has not run out, as the orders read model has it. One
 * customer's placements run one after the other in an api process, each waiting (bounded) until the read
 * model has the one before, so a burst from one client is counted exactly; across several api processes
 * a simultaneous burst can pass the limit by at most one order per other process.
 */
@Injectable()
export class CustomerLimits {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  /** Refuses (400 RENTAL_TOO_LONG) a rental longer than a customer may book for itself. */
  assertRentalLength(rentalStart: string, rentalEnd: string): void {
    const max = this.deps.settings.customerLimits.maxRentalDays;
    if (rentalDays(rentalStart, rentalEnd) > max)
      throw new DomainError(OrderErrors.rentalTooLong, `A rental may last at most ${max} days`, [
        { field: 'rentalEnd', message: `at most ${max} days after rentalStart` },
      ]);
  }

  /**
   * Runs `place` (which holds `units` more units in one new order) for the customer when its holds allow
   * it, else refuses with 409 HOLD_LIMIT_REACHED; placements of one customer are queued one behind the other.
   */
  async holding<T extends { position: bigint }>(
    customerId: string,
    units: number,
    place: () => Promise<T>,
  ): Promise<T> {
    const previous = this.queues.get(customerId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        await this.assertCanHold(customerId, units);
        const placed = await place();
        await this.projections.waitFor([ORDERS_READ_MODEL], placed.position, this.deps.settings.readWaitTimeoutMs);
        return placed;
      });
    this.queues.set(customerId, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(customerId) === run) this.queues.delete(customerId);
    }
  }

  private async assertCanHold(customerId: string, units: number): Promise<void> {
    const { maxActiveHolds, maxHeldUnits } = this.deps.settings.customerLimits;
    const held = await this.store
      .collection<OrderDoc>(ORDERS_READ_MODEL)
      .find({ customerId, status: 'reserved', holdExpiresAt: { $gt: this.deps.now() } }, { limit: maxActiveHolds + 1 });
    const heldUnits = held.reduce((sum, order) => sum + order.items.reduce((n, line) => n + line.quantity, 0), 0);
    if (held.length >= maxActiveHolds)
      throw new DomainError(
        OrderErrors.holdLimitReached,
        `You hold ${held.length} orders not yet confirmed, the most you may: confirm or cancel one first`,
        [{ field: 'orders', message: `at most ${maxActiveHolds} orders held at once`, held: held.length }],
      );
    if (heldUnits + units > maxHeldUnits)
      throw new DomainError(
        OrderErrors.holdLimitReached,
        `This would hold ${heldUnits + units} units, more than the ${maxHeldUnits} you may hold at once`,
        [{ field: 'items', message: `at most ${maxHeldUnits} units held at once`, held: heldUnits, asked: units }],
      );
  }
}
