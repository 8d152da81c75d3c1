import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { READ_STORE, type Filter, type Page, type ReadStore, type Sort } from '../ports/read-store.port.js';
import { PRODUCTS_READ_MODEL, type ProductView } from './product.view.js';

export class GetProductQuery extends Query<ProductView> {
  constructor(readonly productId: string) {
    super();
  }
}

export type ProductSort = 'name' | '-name' | 'rentals' | '-rentals' | 'dailyRate' | '-dailyRate';

export class ListProductsQuery extends Query<Page<ProductView>> {
  constructor(
    readonly criteria: {
      category?: string;
      q?: string;
      active?: boolean;
      sort?: ProductSort;
      limit?: number;
      cursor?: string;
    },
  ) {
    super();
  }
}

const sorts: Record<ProductSort, Sort> = {
  name: { nameKey: 1 },
  '-name': { nameKey: -1 },
  rentals: { rentals: 1 },
  '-rentals': { rentals: -1 },
  dailyRate: { 'dailyRate.amount': 1 },
  '-dailyRate': { 'dailyRate.amount': -1 },
};

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  async execute({ productId }: GetProductQuery) {
    const product = await this.store.collection<ProductView>(PRODUCTS_READ_MODEL).findById(productId);
    if (!product) throw new DomainError(ProductErrors.notFound, `No product ${productId}`);
    return product;
  }
}

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  execute({ criteria }: ListProductsQuery) {
    const filter: Filter = {};
    if (criteria.category !== undefined) filter.category = criteria.category;
    if (criteria.active !== undefined) filter.active = criteria.active;
    if (criteria.q)
      filter.$or = [
        { nameKey: { $contains: criteria.q } },
        { sku: { $contains: criteria.q } },
        { category: { $contains: criteria.q } },
      ];
    return this.store.collection<ProductView>(PRODUCTS_READ_MODEL).findPage(filter, {
      sort: sorts[criteria.sort ?? 'name'],
      limit: criteria.limit ?? 20,
      cursor: criteria.cursor ?? null,
    });
  }
}
