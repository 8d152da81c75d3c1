import { Inject, Injectable } from '@nestjs/common';
import { addDays } from '../../domain/shared/date-range.js';
import { localDay } from '../../domain/report/local-day.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { Schedule } from '../shared/job.js';
import type { TemplateName } from './notification-templates.js';
import { Notifications } from './notifications.service.js';

/**
 * Every hour, the orders read model is scanned for the reminders of the shop's day: pickups and
 * returns due tomorrow (the overdue notices are the daily `overdue-notices` schedule's). Each notification's cause is its order,
 * template and day (`<order>/<template>/<date>`), so however often the scan runs (every hour, on
 * several workers, again after a crash) each is queued once.
 */
@Injectable()
export class NotificationRemindersJob implements Schedule {
  readonly name = 'notification-reminders';
  readonly cron = '0 * * * *';
  readonly queue = 'notifications' as const;

  constructor(
    private readonly notifications: Notifications,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async run(slot: { id: string; at: Date }) {
    const today = localDay(slot.at.toISOString(), this.deps.settings.shopTimeZone);
    const tomorrow = addDays(today, 1);
    const orders = this.store.collection<OrderDoc>(ORDERS_READ_MODEL);
    const [pickups, returns] = await Promise.all([
      orders.find({ status: 'confirmed', rentalStart: tomorrow }),
      orders.find({ status: 'picked_up', rentalEnd: tomorrow }),
    ]);
    let queued = 0;
    const queue = async (order: OrderDoc, template: TemplateName, day: string) => {
      const { created } = await this.notifications.queue({
        template,
        cause: `${order.orderId}/${template}/${day}`,
        customerId: order.customerId,
        orderId: order.orderId,
        params: { orderId: order.orderId, rentalStart: order.rentalStart, rentalEnd: order.rentalEnd },
      });
      if (created) queued += 1;
    };
    for (const order of pickups) await queue(order, 'pickup-reminder', order.rentalStart);
    for (const order of returns) await queue(order, 'return-reminder', order.rentalEnd);
    return { queued, pickups: pickups.length, returns: returns.length };
  }
}
