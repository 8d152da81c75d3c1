/**
 * Units of a product booked by orders. They live on the product's stream, so that availability is
 * decided with the product's expected revision: two orders for the last unit cannot both win.
 * `from`..`to` are the blocked dates, both included (`to` counts the product's buffer days).
 */
export interface UnitsHeld {
  type: 'UnitsHeld';
  data: {
    productId: string;
    orderId: string;
    quantity: number;
    from: string;
    to: string;
    holdExpiresAt: string;
    heldAt: string;
  };
}

export interface HoldConfirmed {
  type: 'HoldConfirmed';
  data: { productId: string; orderId: string; confirmedAt: string };
}

export interface BookingExtended {
  type: 'BookingExtended';
  data: { productId: string; orderId: string; quantity: number; previousTo: string; to: string; extendedAt: string };
}

export interface UnitsReleased {
  type: 'UnitsReleased';
  data: {
    productId: string;
    orderId: string;
    reason: 'cancelled' | 'expired' | 'returned' | 'refused';
    releasedAt: string;
  };
}

export type BookingEvent = UnitsHeld | HoldConfirmed | BookingExtended | UnitsReleased;

export interface Booking {
  quantity: number;
  from: string;
  to: string;
  status: 'held' | 'confirmed';
  holdExpiresAt: string;
}

/** Does a booking block units at `now`? A hold past its expiry blocks nothing, even before the worker releases it. */
export const blocks = (booking: Booking, now: string): boolean =>
  booking.status === 'confirmed' || booking.holdExpiresAt > now;
