import type { Money } from '../../domain/shared/money.js';

/** The `products` read model, as the query side sees it. */
export interface ProductView {
  _id: string;
  [key: string]: unknown;
  productId: string;
  sku: string;
  name: string;
  /** Lower-cased name: the sort key for `sort=name` and what `q` searches. */
  nameKey: string;
  category: string;
  dailyRate: Money;
  deposit: Money;
  stock: number;
  bufferDays: number;
  active: boolean;
  rentals: number;
  /** Stream revision of the last product event: the ETag. */
  revision: string;
  createdAt: string;
  updatedAt: string;
}

export const PRODUCTS_READ_MODEL = 'products';
