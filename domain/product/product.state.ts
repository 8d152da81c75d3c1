import type { Money } from '../shared/money.js';
import { assertNever } from '../shared/domain-error.js';
import type { ProductEvent } from './product.events.js';

interface ProductFacts {
  productId: string;
  sku: string;
  name: string;
  category: string;
  dailyRate: Money;
  deposit: Money;
  stock: number;
  bufferDays: number;
}

export type ProductState =
  | { status: 'unregistered' }
  | ({ status: 'active' } & ProductFacts)
  | ({ status: 'retired' } & ProductFacts);

export const initialProductState = (): ProductState => ({ status: 'unregistered' });

export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'active', ...facts };
    }
    case 'ProductRepriced':
      if (state.status === 'unregistered') return state;
      return { ...state, dailyRate: event.data.dailyRate, deposit: event.data.deposit };
    case 'ProductStockAdjusted':
      if (state.status === 'unregistered') return state;
      return { ...state, stock: event.data.stock };
    case 'ProductRetired':
      if (state.status === 'unregistered') return state;
      return { ...state, status: 'retired' };
    default:
      return assertNever(event, 'product event');
  }
}
