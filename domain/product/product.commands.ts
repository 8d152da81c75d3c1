import type { Money } from '../shared/money.js';

export interface RegisterProduct {
  type: 'RegisterProduct';
  data: {
    productId: string;
    sku: string;
    name: string;
    category: string;
    dailyRate: Money;
    deposit: Money;
    stock: number;
    bufferDays: number;
    /** The deployment's currency: prices in any other are refused. */
    currency: string;
    now: string;
  };
}

export interface RepriceProduct {
  type: 'RepriceProduct';
  data: { dailyRate: Money; deposit?: Money; currency: string; now: string };
}

export interface AdjustStock {
  type: 'AdjustStock';
  data: { delta: number; reason: string; now: string };
}

export interface RetireProduct {
  type: 'RetireProduct';
  data: { now: string };
}

export type ProductCommand = RegisterProduct | RepriceProduct | AdjustStock | RetireProduct | BookingCommand;

export interface HoldUnits {
  type: 'HoldUnits';
  data: { orderId: string; quantity: number; from: string; to: string; holdExpiresAt: string; now: string };
}

export interface ConfirmHold {
  type: 'ConfirmHold';
  data: { orderId: string; now: string };
}

export interface ExtendBooking {
  type: 'ExtendBooking';
  /** The new last blocked date (rental end plus buffer days). */
  data: { orderId: string; to: string; now: string };
}

export interface ReleaseUnits {
  type: 'ReleaseUnits';
  data: { orderId: string; reason: 'cancelled' | 'expired' | 'returned' | 'refused'; now: string };
}

export type BookingCommand = HoldUnits | ConfirmHold | ExtendBooking | ReleaseUnits;
