import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { READ_STORE, type Filter, type Page, type ReadStore } from '../ports/read-store.port.js';
import { PAYMENTS_READ_MODEL, visibleTo, type CustomerScope, type PaymentView } from './payment.view.js';

/** One payment; null when there is none or the caller may not see it. */
export class GetPaymentQuery extends Query<PaymentView> {
  constructor(
    readonly paymentId: string,
    readonly scope: CustomerScope,
  ) {
    super();
  }
}

export class ListPaymentsQuery extends Query<Page<PaymentView>> {
  constructor(readonly criteria: { orderId?: string; status?: PaymentStatus; limit?: number; cursor?: string }) {
    super();
  }
}

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  async execute({ paymentId, scope }: GetPaymentQuery) {
    const payment = await this.store.collection<PaymentView>(PAYMENTS_READ_MODEL).findById(paymentId);
    if (!payment || !visibleTo(scope, payment.customerId))
      throw new DomainError(PaymentErrors.notFound, `No payment ${paymentId}`);
    return payment;
  }
}

/** Newest first. */
@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  execute({ criteria }: ListPaymentsQuery) {
    const filter: Filter = {};
    if (criteria.orderId !== undefined) filter.orderId = criteria.orderId;
    if (criteria.status !== undefined) filter.status = criteria.status;
    return this.store.collection<PaymentView>(PAYMENTS_READ_MODEL).findPage(filter, {
      sort: { createdAt: -1 },
      limit: criteria.limit ?? 20,
      cursor: criteria.cursor ?? null,
    });
  }
}
