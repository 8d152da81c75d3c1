import { assertNever } from '../shared/domain-error.js';
import type { Money } from '../shared/money.js';
import type { Damage, Fulfilment, OrderEvent, OrderLine } from './order.events.js';

export type OrderStatus = 'reserved' | 'confirmed' | 'picked_up' | 'returned' | 'closed' | 'cancelled' | 'expired';

export interface PaymentSnapshot {
  purpose: 'deposit' | 'rental' | 'fee';
  status: string;
  amount: Money;
  authorized: Money;
  captured: Money;
  refunded: Money;
  sourceRevision: number;
}

export interface OrderFacts {
  status: OrderStatus;
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
  lateFee: Money;
  damages: Damage[];
  /** The damage photos taken of this order (DamagePhotoAdded), which a return's damages may name. */
  photoIds: string[];
  damageCharges: Money;
  cancellationFee: Money;
  returnedOn: string | null;
  payments: Record<string, PaymentSnapshot>;
}

export type OrderState = { status: 'none' } | OrderFacts;

export const initialOrderState = (): OrderState => ({ status: 'none' });

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    const zero = { amount: 0, currency: d.subtotal.currency };
    return {
      status: 'reserved',
      orderId: d.orderId,
      customerId: d.customerId,
      rentalStart: d.rentalStart,
      rentalEnd: d.rentalEnd,
      rentalDays: d.rentalDays,
      items: d.items,
      subtotal: d.subtotal,
      deposit: d.deposit,
      holdExpiresAt: d.holdExpiresAt,
      fulfilment: d.fulfilment,
      lateFee: zero,
      damages: [],
      photoIds: [],
      damageCharges: zero,
      cancellationFee: zero,
      returnedOn: null,
      payments: {},
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'OrderConfirmed':
      return { ...state, status: 'confirmed' };
    case 'OrderExtended':
      return {
        ...state,
        rentalEnd: event.data.rentalEnd,
        rentalDays: event.data.rentalDays,
        items: event.data.items,
        subtotal: event.data.subtotal,
      };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled', cancellationFee: event.data.cancellationFee };
    case 'OrderExpired':
      return { ...state, status: 'expired' };
    case 'OrderPickedUp':
      return { ...state, status: 'picked_up' };
    case 'OrderReturned':
      return {
        ...state,
        status: 'returned',
        returnedOn: event.data.returnedOn,
        lateFee: event.data.lateFee,
        damages: event.data.damages,
        damageCharges: event.data.damageCharges,
      };
    case 'OrderClosed':
      return { ...state, status: 'closed' };
    case 'DamagePhotoAdded':
      return state.photoIds.includes(event.data.photoId)
        ? state
        : { ...state, photoIds: [...(state.photoIds ?? []), event.data.photoId] };
    case 'OrderPaymentUpdated': {
      const { paymentId, purpose, status, amount, authorized, captured, refunded, sourceRevision } = event.data;
      return {
        ...state,
        payments: {
          ...state.payments,
          [paymentId]: { purpose, status, amount, authorized, captured, refunded, sourceRevision },
        },
      };
    }
    default:
      return assertNever(event, 'order event');
  }
}
