import type { Money } from '../shared/money.js';
import { assertNever } from '../shared/domain-error.js';
import type { Booking } from './booking.events.js';
import type { ProductEvent } from './product.events.js';

export interface ProductFacts {
  productId: string;
  sku: string;
  name: string;
  category: string;
  dailyRate: Money;
  deposit: Money;
  stock: number;
  bufferDays: number;
  /** Bookings by order id that may still matter (released ones are gone; ended ones are pruned in snapshots). */
  bookings: Record<string, Booking>;
}

export type ProductState =
  { status: 'unregistered' } | ({ status: 'active' } & ProductFacts) | ({ status: 'retired' } & ProductFacts);

export const initialProductState = (): ProductState => ({ status: 'unregistered' });

export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'active', ...facts, bookings: {} };
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
    case 'UnitsHeld': {
      if (state.status === 'unregistered') return state;
      const { orderId, quantity, from, to, holdExpiresAt } = event.data;
      return {
        ...state,
        bookings: { ...state.bookings, [orderId]: { quantity, from, to, holdExpiresAt, status: 'held' } },
      };
    }
    case 'HoldConfirmed':
      return updateBooking(state, event.data.orderId, (b) => ({ ...b, status: 'confirmed' }));
    case 'BookingExtended':
      return updateBooking(state, event.data.orderId, (b) => ({ ...b, to: event.data.to }));
    case 'UnitsReleased': {
      if (state.status === 'unregistered' || !state.bookings[event.data.orderId]) return state;
      const { [event.data.orderId]: _released, ...bookings } = state.bookings;
      return { ...state, bookings };
    }
    default:
      return assertNever(event, 'product event');
  }
}

function updateBooking(state: ProductState, orderId: string, change: (b: Booking) => Booking): ProductState {
  if (state.status === 'unregistered') return state;
  const booking = state.bookings[orderId];
  return booking ? { ...state, bookings: { ...state.bookings, [orderId]: change(booking) } } : state;
}

/** Drops bookings that ended before `today`: they cannot affect any decision from today on (snapshots use it). */
export function pruneProductState(state: ProductState, today: string): ProductState {
  if (state.status === 'unregistered') return state;
  const bookings = Object.fromEntries(Object.entries(state.bookings).filter(([, b]) => b.to >= today));
  return { ...state, bookings };
}
