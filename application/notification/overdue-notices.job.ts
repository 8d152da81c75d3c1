import { Inject, Injectable } from '@nestjs/common';
import { daysBetween } from '../../domain/shared/date-range.js';
import { localDay } from '../../domain/report/local-day.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import type { Schedule } from '../shared/job.js';
import { Notifications } from './notifications.service.js';

/** Overdue notices go on the first and third day overdue, then every seventh day until the order is back. */
export const isOverdueNoticeDay = (daysOverdue: number): boolean =>
  daysOverdue === 1 || daysOverdue === 3 || (daysOverdue > 3 && (daysOverdue - 3) % 7 === 0);

/** The latest overdue day at or before `daysOverdue` that has a notice (null: not overdue yet). */
export const overdueNoticeDayOf = (daysOverdue: number): number | null =>
  daysOverdue < 1 ? null : daysOverdue < 3 ? 1 : 3 + 7 * Math.floor((daysOverdue - 3) / 7);

/** `SHOP_OPENS_AT` (`HH:MM`) as the daily cron croner reads (minute first). */
export const openingCron = (opensAt = '09:00'): string => {
  const [hours, minutes] = opensAt.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
};

/**
 * Daily at the shop's opening (`SHOP_OPENS_AT` in `SHOP_TIMEZONE`; the engine's crons run in that
 * zone, so 09:00 stays 09:00 across daylight saving changes): every order picked up and past its end
 * is sent its overdue notice of the shop's day: day 1, day 3, then every seventh day until it is
 * returned. A notice's cause is the order, its rental end and the overdue day
 * (`<order>/overdue-notice/<rentalEnd>/day-<n>`), so it goes at most once however often the slot runs
 * (retried, on several workers), and a day whose slot no worker ran (all down at opening) is caught
 * up by the next slot: the latest notice day not sent yet goes then, once. An extended rental starts
 * counting again from its new end.
 *
 * Overdue notices are reminders (the issue lists them with the reminders that respect the customer's
 * `preferences.reminders`; NOTIFICATION_TEMPLATES): with reminders off the notice is recorded and skipped.
 */
@Injectable()
export class OverdueNoticesJob implements Schedule {
  readonly name = 'overdue-notices';
  readonly cron: string;
  readonly queue = 'notifications' as const;

  constructor(
    private readonly notifications: Notifications,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {
    this.cron = openingCron(settings.shopOpensAt);
  }

  async run(slot: { id: string; at: Date }) {
    const today = localDay(slot.at.toISOString(), this.settings.shopTimeZone);
    const overdue = await this.store
      .collection<OrderDoc>(ORDERS_READ_MODEL)
      .find({ status: 'picked_up', rentalEnd: { $lt: today } });
    let queued = 0;
    for (const order of overdue) {
      const daysOverdue = daysBetween(order.rentalEnd, today);
      const noticeDay = overdueNoticeDayOf(daysOverdue);
      if (noticeDay === null) continue;
      const { created } = await this.notifications.queue({
        template: 'overdue-notice',
        cause: `${order.orderId}/overdue-notice/${order.rentalEnd}/day-${noticeDay}`,
        customerId: order.customerId,
        orderId: order.orderId,
        params: {
          orderId: order.orderId,
          rentalStart: order.rentalStart,
          rentalEnd: order.rentalEnd,
          daysOverdue,
          noticeDay,
        },
      });
      if (created) queued += 1;
    }
    return { today, overdue: overdue.length, queued };
  }
}
