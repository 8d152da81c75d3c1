import type { Money } from '../shared/money.js';
import { addDays } from '../shared/date-range.js';
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

/**
 * How long a snapshot keeps a booking after its end. No decision from today on concerns a day before
 * today, but `today` is the server clock's: a clock that ran ahead would drop bookings that still
 * matter once it is put right (the stream keeps them, a snapshot would not). Within this margin a
 * wrong clock costs nothing.
 */
export const SNAPSHOT_KEEPS_ENDED_BOOKINGS_DAYS = 31;

/** Drops bookings that ended well before `today`: they cannot affect any decision from today on (snapshots use it). */
export function pruneProductState(state: ProductState, today: string): ProductState {
  if (state.status === 'unregistered') return state;
  const horizon = addDays(today, -SNAPSHOT_KEEPS_ENDED_BOOKINGS_DAYS);
  const bookings = Object.fromEntries(Object.entries(state.bookings).filter(([, b]) => b.to >= horizon));
  return { ...state, bookings };
}
