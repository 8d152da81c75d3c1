import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { READ_STORE, type Filter, type Page, type ReadStore } from '../ports/read-store.port.js';
import { CUSTOMERS_READ_MODEL, type CustomerView } from './customer.view.js';

/** One customer; a caller acting as a customer (`ownerCustomerId`) finds only its own record (404 for any other). */
export class GetCustomerQuery extends Query<CustomerView> {
  constructor(
    readonly customerId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

export class ListCustomersQuery extends Query<Page<CustomerView>> {
  constructor(readonly criteria: { q?: string; limit?: number; cursor?: string }) {
    super();
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  async execute({ customerId, ownerCustomerId }: GetCustomerQuery) {
    const customer =
      ownerCustomerId === undefined || ownerCustomerId === customerId
        ? await this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findById(customerId)
        : null;
    if (!customer) throw new DomainError(CustomerErrors.notFound, `No customer ${customerId}`);
    return customer;
  }
}

/** Sorted by name (case-insensitive); `q` matches a part of the name or the email. */
@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  execute({ criteria }: ListCustomersQuery) {
    const filter: Filter = criteria.q
      ? { $or: [{ nameKey: { $contains: criteria.q } }, { email: { $contains: criteria.q } }] }
      : {};
    return this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findPage(filter, {
      sort: { nameKey: 1 },
      limit: criteria.limit ?? 20,
      cursor: criteria.cursor ?? null,
    });
  }
}
