import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CUSTOMERS_READ_MODEL, type CustomerView } from '../customer/customer.view.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { systemContext } from '../shared/command-context.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { Schedule } from '../shared/job.js';
import { EraseCustomerCommand } from './erase-customer.command.js';

const DAY_MS = 86_400_000;

/**
 * Retention (`RETENTION_ERASE_AFTER_DAYS`, off by default): customers with no order placed for that
 * many days (counted from their registration when they never ordered) are erased, as an admin's
 * `DELETE /v1/customers/{id}` would. Runs daily in the worker, and on demand with
 * `npm run privacy -- erase-inactive`.
 */
@Injectable()
export class EraseInactiveCustomersJob implements Schedule {
  readonly name = 'erase-inactive-customers';
  /** Daily at 03:00, the shop's time. */
  readonly cron = '0 3 * * *';
  readonly queue = 'maintenance' as const;
  /** Off while RETENTION_ERASE_AFTER_DAYS is unset. */
  readonly enabled: boolean;

  constructor(
    private readonly commands: CommandBus,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {
    this.enabled = Boolean(settings.retentionEraseAfterDays);
  }

  async run(): Promise<{ erased: number; checked: number }> {
    const days = this.settings.retentionEraseAfterDays;
    if (!days) return { erased: 0, checked: 0 };
    const cutoff = new Date(this.deps.clock.now().getTime() - days * DAY_MS).toISOString();
    const customers = await this.store
      .collection<CustomerView>(CUSTOMERS_READ_MODEL)
      .find({ erased: { $exists: false }, createdAt: { $lt: cutoff } });
    const orders = this.store.collection<OrderDoc>(ORDERS_READ_MODEL);
    let erased = 0;
    for (const customer of customers) {
      const [recent] = await orders.find(
        { customerId: customer.customerId, placedAt: { $gte: cutoff } },
        { sort: { placedAt: -1 }, limit: 1 },
      );
      if (recent) continue;
      try {
        await this.commands.execute(
          new EraseCustomerCommand(customer.customerId, systemContext(`retention-${customer.customerId}`)),
        );
        erased++;
      } catch (error) {
        this.deps.logger.warn('could not erase an inactive customer', {
          customerId: customer.customerId,
          error: (error as Error).message,
        });
      }
    }
    if (erased > 0) this.deps.logger.info('inactive customers erased', { erased, days });
    return { erased, checked: customers.length };
  }
}
