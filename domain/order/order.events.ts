import { eventTypes } from '../shared/decider.js';
import type { Money } from '../shared/money.js';

/** A priced order line, as it was when the order was placed (or last extended). */
export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  dailyRate: Money;
  /** Deposit per unit. */
  unitDeposit: Money;
  /** dailyRate x rentalDays x quantity. */
  lineTotal: Money;
}

export interface LineRef {
  productId: string;
  quantity: number;
}

export interface Fulfilment {
  method: 'pickup' | 'delivery';
  address?: string;
}

export interface OrderPlaced {
  type: 'OrderPlaced';
  data: {
    orderId: string;
    customerId: string;
    rentalStart: string;
    rentalEnd: string;
    rentalDays: number;
    items: OrderLine[];
    subtotal: Money;
    deposit: Money;
    holdExpiresAt: string;
    fulfilment: Fulfilment;
    placedAt: string;
  };
}

export interface OrderConfirmed {
  type: 'OrderConfirmed';
  data: { orderId: string; customerId: string; items: LineRef[]; confirmedAt: string };
}

export interface OrderExtended {
  type: 'OrderExtended';
  data: {
    orderId: string;
    previousRentalEnd: string;
    rentalEnd: string;
    rentalDays: number;
    items: OrderLine[];
    subtotal: Money;
    extendedAt: string;
  };
}

export interface OrderCancelled {
  type: 'OrderCancelled';
  data: {
    orderId: string;
    customerId: string;
    reason: string;
    cancellationFee: Money;
    items: LineRef[];
    cancelledAt: string;
  };
}

export interface OrderExpired {
  type: 'OrderExpired';
  data: { orderId: string; customerId: string; items: LineRef[]; expiredAt: string };
}

export interface OrderPickedUp {
  type: 'OrderPickedUp';
  data: { orderId: string; customerId: string; items: LineRef[]; pickedUpAt: string };
}

export interface Damage {
  productId: string;
  description: string;
  charge: Money;
  /** Damage photos of this order (DamagePhotoAdded) that show it. */
  photoIds?: string[];
}

/**
 * A damage photo was taken of this order's goods (at or after their return): its bytes are in the
 * blob store under the photo id, encrypted under the order's customer's key; this is what is known
 * of it. The caption is free text, so personal.
 */
export interface DamagePhotoAdded {
  type: 'DamagePhotoAdded';
  data: {
    orderId: string;
    customerId: string;
    photoId: string;
    contentType: string;
    size: number;
    caption: string | null;
    addedAt: string;
  };
}

export interface OrderReturned {
  type: 'OrderReturned';
  data: {
    orderId: string;
    customerId: string;
    returnedOn: string;
    lateDays: number;
    lateFee: Money;
    damages: Damage[];
    damageCharges: Money;
    items: LineRef[];
    returnedAt: string;
  };
}

export interface OrderClosed {
  type: 'OrderClosed';
  data: { orderId: string; customerId: string; closedAt: string };
}

/**
 * A payment of this order was accepted (status `pending`, when requested) or changed (recorded from
 * the payment's events by its handler at once, and by the order-payments workflow from the log).
 */
export interface OrderPaymentUpdated {
  type: 'OrderPaymentUpdated';
  data: {
    orderId: string;
    paymentId: string;
    purpose: 'deposit' | 'rental' | 'fee';
    status: string;
    /** What was asked for (schema version 2; version 1 did not say, read as the most authorized or captured). */
    amount: Money;
    authorized: Money;
    captured: Money;
    refunded: Money;
    /** The payment event this reflects: a redelivered one changes nothing. */
    sourceEventId: string;
    sourceRevision: number;
  };
}

export type OrderEvent =
  | OrderPlaced
  | OrderConfirmed
  | OrderExtended
  | OrderCancelled
  | OrderExpired
  | OrderPickedUp
  | OrderReturned
  | OrderClosed
  | DamagePhotoAdded
  | OrderPaymentUpdated;

export const orderEventTypes = eventTypes<OrderEvent['type']>({
  OrderPlaced: true,
  OrderConfirmed: true,
  OrderExtended: true,
  OrderCancelled: true,
  OrderExpired: true,
  OrderPickedUp: true,
  OrderReturned: true,
  OrderClosed: true,
  DamagePhotoAdded: true,
  OrderPaymentUpdated: true,
});

export const orderStream = (orderId: string): string => `order-${orderId}`;
