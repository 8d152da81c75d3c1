import type { Money } from '../shared/money.js';
import type { Damage, Fulfilment, OrderLine } from './order.events.js';

export interface CancellationPolicy {
  /** Free until this many hours before the rental start (00:00 UTC of the start date). */
  freeHours: number;
  /** Share of the subtotal charged after that. */
  feePercent: number;
}

export interface LateReturnPolicy {
  /** Late fee per late day, as a percentage of the daily rate. */
  feePercent: number;
  graceDays: number;
}

export type OrderCommand =
  | {
      type: 'PlaceOrder';
      data: {
        orderId: string;
        customerId: string;
        rentalStart: string;
        rentalEnd: string;
        items: OrderLine[];
        holdExpiresAt: string;
        fulfilment: Fulfilment;
        now: string;
      };
    }
  | { type: 'ConfirmOrder'; data: { now: string } }
  | { type: 'ExtendOrder'; data: { rentalEnd: string; now: string } }
  | { type: 'CancelOrder'; data: { reason: string; policy: CancellationPolicy; now: string } }
  | { type: 'ExpireOrder'; data: { now: string } }
  | { type: 'PickUpOrder'; data: { now: string } }
  | { type: 'ReturnOrder'; data: { returnedOn: string; damages: Damage[]; policy: LateReturnPolicy; now: string } }
  | { type: 'CloseOrder'; data: { now: string } }
  /** A damage photo of the order's goods, stored already in the blob store under `photoId`. */
  | {
      type: 'AddDamagePhoto';
      data: { photoId: string; contentType: string; size: number; caption: string | null; now: string };
    }
  /** A new payment for this order: refused when the order takes no payments or the amount is more than is open. */
  | {
      type: 'AcceptPayment';
      data: {
        paymentId: string;
        purpose: 'deposit' | 'rental' | 'fee';
        amount: Money;
        sourceEventId: string;
        sourceRevision: number;
      };
    }
  /** What a payment of this order now is, as its events say (a redelivery changes nothing). */
  | {
      type: 'RecordPayment';
      data: {
        paymentId: string;
        purpose: 'deposit' | 'rental' | 'fee';
        status: string;
        amount: Money;
        authorized: Money;
        captured: Money;
        refunded: Money;
        sourceEventId: string;
        sourceRevision: number;
      };
    };
