import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { systemContext } from '../shared/command-context.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { Schedule } from '../shared/job.js';
import { ExpireOrderCommand } from './expire-order.command.js';
import { ORDERS_READ_MODEL, type OrderDoc } from './order.view.js';

/** Reserved orders whose hold ran out are expired, and their units released. */
@Injectable()
export class ExpireHoldsJob implements Schedule {
  readonly name = 'expire-holds';
  /** Every minute: a hold that ran out blocks nothing meanwhile (decisions ignore it). */
  readonly cron = '* * * * *';
  readonly queue = 'maintenance' as const;

  constructor(
    private readonly commands: CommandBus,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async run() {
    const stale = await this.store
      .collection<OrderDoc>(ORDERS_READ_MODEL)
      .find({ status: 'reserved', holdExpiresAt: { $lte: this.deps.now() } }, { limit: 500 });
    let expired = 0;
    for (const order of stale) {
      try {
        await this.commands.execute(new ExpireOrderCommand(order.orderId, systemContext(`expire-${order.orderId}`)));
        expired++;
      } catch (error) {
        this.deps.logger.warn('could not expire order', { orderId: order.orderId, error: (error as Error).message });
      }
    }
    return { expired, found: stale.length };
  }
}
