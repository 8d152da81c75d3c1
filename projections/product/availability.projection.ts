import type { Booking } from '../../domain/product/booking.events.js';
import type { ProductEvent } from '../../domain/product/product.events.js';
import type { Projection } from '../runner/projection.js';

export interface AvailabilityDoc {
  _id: string;
  [key: string]: unknown;
  productId: string;
  stock: number;
  bufferDays: number;
  bookings: Record<string, Booking>;
}

const handled: Array<ProductEvent['type']> = ['ProductRegistered', 'ProductStockAdjusted', 'UnitsHeld', 'HoldConfirmed', 'BookingExtended', 'UnitsReleased'];

/**
 * Per product: its stock and the bookings that may still matter. The per-day figures are computed
 * when asked (holds past their expiry then count for nothing). Bookings that ended before the day
 * of the event being applied are dropped, so documents stay small and a rebuild gives the same ones.
 */
export const availabilityProjection: Projection<AvailabilityDoc> = {
  name: 'availability',
  version: 1,
  collection: 'availability',
  indexes: [],
  handles: new Set<string>(handled),
  keys: (event) => [(event.data as { productId: string }).productId],
  apply(doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as ProductEvent;
    const today = recorded.metadata.occurredAt.slice(0, 10);
    const keep = (bookings: Record<string, Booking>) => Object.fromEntries(Object.entries(bookings).filter(([, b]) => b.to >= today));
    if (event.type === 'ProductRegistered') {
      return { _id: event.data.productId, productId: event.data.productId, stock: event.data.stock, bufferDays: event.data.bufferDays, bookings: doc?.bookings ?? {} };
    }
    if (!doc) return null;
    switch (event.type) {
      case 'ProductStockAdjusted':
        return { ...doc, stock: event.data.stock };
      case 'UnitsHeld': {
        const { orderId, quantity, from, to, holdExpiresAt } = event.data;
        return { ...doc, bookings: keep({ ...doc.bookings, [orderId]: { quantity, from, to, holdExpiresAt, status: 'held' } }) };
      }
      case 'HoldConfirmed': {
        const booking = doc.bookings[event.data.orderId];
        return booking ? { ...doc, bookings: keep({ ...doc.bookings, [event.data.orderId]: { ...booking, status: 'confirmed' } }) } : doc;
      }
      case 'BookingExtended': {
        const booking = doc.bookings[event.data.orderId];
        return booking ? { ...doc, bookings: keep({ ...doc.bookings, [event.data.orderId]: { ...booking, to: event.data.to } }) } : doc;
      }
      case 'UnitsReleased': {
        const { [event.data.orderId]: _gone, ...rest } = doc.bookings;
        return { ...doc, bookings: keep(rest) };
      }
      default:
        return doc;
    }
  },
};
