import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { READ_STORE, type Filter, type Page, type ReadStore } from '../ports/read-store.port.js';
import { normaliseEmail } from '../../domain/identity/user-email.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { wordsOf } from '../privacy/personal-documents.js';
import { CUSTOMERS_READ_MODEL, customerDocPersonalFields, type CustomerView } from './customer.view.js';

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

/**
 * Oldest first. The read store holds names and emails encrypted, so `q` is looked up in the blind
 * index: a `q` with an `@` is a whole email, any other `q` finds the customers whose name has every
 * word of it (whole words, any case).
 */
@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}
  execute({ criteria }: ListCustomersQuery) {
    const q = criteria.q?.trim() ?? '';
    const words = wordsOf(q);
    let filter: Filter = {};
    if (q.includes('@'))
      filter = { emailKey: this.index.of(customerDocPersonalFields.blind![0].purpose, normaliseEmail(q)) };
    else if (words.length > 0)
      filter = {
        $and: words.map((w) => ({ nameWords: this.index.of(customerDocPersonalFields.blind![1].purpose, w) })),
      };
    else if (q !== '') filter = { _id: { $in: [] } }; // nothing to look for: no match
    return this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findPage(filter, {
      sort: { createdAt: 1 },
      limit: criteria.limit ?? 20,
      cursor: criteria.cursor ?? null,
    });
  }
}
