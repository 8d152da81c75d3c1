import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type Filter, type Page, type ReadStore } from '../ports/read-store.port.js';
import {
  NOTIFICATIONS_READ_MODEL,
  notificationView,
  type NotificationDoc,
  type NotificationStatus,
  type NotificationView,
} from './notification.view.js';

export interface NotificationCriteria {
  customerId?: string;
  orderId?: string;
  status?: NotificationStatus;
  limit?: number;
  cursor?: string;
}

/** Notifications, newest first; the route narrows a customer's to its own. */
export class ListNotificationsQuery extends Query<Page<NotificationView>> {
  constructor(readonly criteria: NotificationCriteria) {
    super();
  }
}

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({ criteria: c }: ListNotificationsQuery) {
    const all: Filter[] = [];
    if (c.customerId) all.push({ customerId: c.customerId });
    if (c.orderId) all.push({ orderId: c.orderId });
    if (c.status) all.push({ status: c.status });
    await this.store.ensureCollection({ name: NOTIFICATIONS_READ_MODEL });
    const page = await this.store
      .collection<NotificationDoc>(NOTIFICATIONS_READ_MODEL)
      .findPage(all.length > 0 ? { $and: all } : {}, {
        sort: { queuedAt: -1 },
        limit: c.limit ?? 20,
        cursor: c.cursor ?? null,
      });
    return { items: page.items.map(notificationView), nextCursor: page.nextCursor };
  }
}
