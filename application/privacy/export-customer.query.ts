import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { customerStream } from '../../domain/customer/customer.events.js';
import { userStream } from '../../domain/identity/user.events.js';
import { orderStream } from '../../domain/order/order.events.js';
import { paymentStream } from '../../domain/payment/payment.events.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { CUSTOMERS_READ_MODEL, type CustomerView } from '../customer/customer.view.js';
import { ACCESS_READ_MODEL } from '../identity/access.view.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import { NOTIFICATIONS_READ_MODEL, notificationView, type NotificationDoc } from '../notification/notification.view.js';
import { PAYMENTS_READ_MODEL } from '../payment/payment.view.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port.js';
import { READ_STORE, type Doc, type ReadStore } from '../ports/read-store.port.js';
import { UPLOADS_READ_MODEL, type UploadsDoc } from '../customer/uploads.view.js';

export type CustomerExport = Record<string, unknown>;

/** Everything held about a customer (GDPR Art. 15 and 20); a caller acting as a customer reaches only its own. */
export class ExportCustomerQuery extends Query<CustomerExport> {
  constructor(
    readonly customerId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

/** Secrets kept about a person that are not data about them, and never leave the write side. */
const SECRET_FIELDS = new Set(['passwordHash', 'secretHash', 'tokenId', 'spentTokenId']);
const withoutSecrets = (data: unknown): unknown =>
  data && typeof data === 'object' && !Array.isArray(data)
    ? Object.fromEntries(Object.entries(data).filter(([k]) => !SECRET_FIELDS.has(k)))
    : data;
const withoutStoreFields = ({ _id: _i, _position: _p, ...doc }: Doc) => doc;
const history = (events: RecordedEvent[]) =>
  events.map((e) => ({
    streamId: e.streamId,
    revision: String(e.revision),
    type: e.type,
    occurredAt: e.metadata.occurredAt,
    actor: e.metadata.actor,
    data: withoutSecrets(e.data),
  }));

/**
 * The export: the customer record, its user account and sessions, its orders and payments as the
 * read models show them, and the full history of its own streams (customer, user, orders, payments)
 * with every field decrypted, secrets (password and token hashes) left out, and the notifications
 * sent to it (with the address they went to). Documents and damage photos are listed with what is
 * known of them and a link to their content (`content`: the download route, which the same callers
 * may use), not the bytes themselves, so the export stays one small JSON document.
 */
@QueryHandler(ExportCustomerQuery)
export class ExportCustomerHandler implements IQueryHandler<ExportCustomerQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, ownerCustomerId }: ExportCustomerQuery): Promise<CustomerExport> {
    const customer =
      ownerCustomerId === undefined || ownerCustomerId === customerId
        ? await this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findById(customerId)
        : null;
    if (!customer) throw new DomainError(CustomerErrors.notFound, `No customer ${customerId}`);
    const customerEvents = await this.events.readStream(customerStream(customerId));
    const registered = customerEvents.find((e) => e.type === 'CustomerRegistered');
    const userId = (registered?.data as { userId?: string | null } | undefined)?.userId ?? null;
    const orders = await this.store
      .collection<OrderDoc>(ORDERS_READ_MODEL)
      .find({ customerId }, { sort: { placedAt: 1 } });
    const orderIds = orders.map((o) => o.orderId);
    const payments =
      orderIds.length > 0
        ? await this.store
            .collection(PAYMENTS_READ_MODEL)
            .find({ orderId: { $in: orderIds } }, { sort: { createdAt: 1 } })
        : [];
    await this.store.ensureCollection({ name: NOTIFICATIONS_READ_MODEL });
    const notifications = await this.store
      .collection<NotificationDoc>(NOTIFICATIONS_READ_MODEL)
      .find({ customerId }, { sort: { queuedAt: 1 } });
    const sessions = userId
      ? await this.store.collection(ACCESS_READ_MODEL).find({ kind: 'session', userId }, { sort: { createdAt: 1 } })
      : [];
    const streams = [
      ...(userId ? [userStream(userId)] : []),
      ...orderIds.map(orderStream),
      ...payments.map((p) => paymentStream(String(p.paymentId))),
    ];
    const more = await Promise.all(streams.map((s) => this.events.readStream(s)));
    const uploads = await this.store.collection<UploadsDoc>(UPLOADS_READ_MODEL).findById(customerId);
    const files = uploads?.kind === 'customer' && !uploads.erased ? uploads : { documents: [], photos: [] };
    const user = more[0] && userId ? more[0].find((e) => e.type === 'UserRegistered') : undefined;
    const { _id, _position, revision: _r, ...record } = customer as CustomerView & { _position?: string };
    return {
      exportedAt: this.clock.now().toISOString(),
      customer: record,
      account: user ? withoutSecrets(user.data) : null,
      sessions: sessions.map(withoutStoreFields),
      orders: orders.map(withoutStoreFields),
      payments: payments.map(withoutStoreFields),
      documents: files.documents.map((d) => ({ ...d, content: `/v1/documents/${d.documentId}/content` })),
      photos: files.photos.map((p) => ({ ...p, content: `/v1/orders/${p.orderId}/photos/${p.photoId}` })),
      notifications: notifications.map(notificationView),
      history: history([...customerEvents, ...more.flat()]),
    };
  }
}
