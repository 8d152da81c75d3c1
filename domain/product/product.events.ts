import { eventTypes } from '../shared/decider.js';
import type { Money } from '../shared/money.js';
import type { BookingEvent } from './booking.events.js';

export interface ProductRegistered {
  type: 'ProductRegistered';
  data: {
    productId: string;
    sku: string;
    name: string;
    category: string;
    dailyRate: Money;
    deposit: Money;
    stock: number;
    bufferDays: number;
    registeredAt: string;
  };
}

export interface ProductRepriced {
  type: 'ProductRepriced';
  data: {
    productId: string;
    dailyRate: Money;
    deposit: Money;
    previousDailyRate: Money;
    previousDeposit: Money;
    repricedAt: string;
  };
}

export interface ProductStockAdjusted {
  type: 'ProductStockAdjusted';
  data: { productId: string; delta: number; stock: number; reason: string; adjustedAt: string };
}

export interface ProductRetired {
  type: 'ProductRetired';
  data: { productId: string; retiredAt: string };
}

export type ProductEvent = ProductRegistered | ProductRepriced | ProductStockAdjusted | ProductRetired | BookingEvent;

export const productEventTypes = eventTypes<ProductEvent['type']>({
  ProductRegistered: true,
  ProductRepriced: true,
  ProductStockAdjusted: true,
  ProductRetired: true,
  UnitsHeld: true,
  HoldConfirmed: true,
  BookingExtended: true,
  UnitsReleased: true,
});

export const productStream = (productId: string): string => `product-${productId}`;
