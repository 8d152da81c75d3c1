import type { Damage, Fulfilment, OrderLine } from '../../domain/order/order.events.js';
import type { OrderStatus, PaymentSnapshot } from '../../domain/order/order.state.js';
import type { Money } from '../../domain/shared/money.js';

/** The `orders` read model, as the projection writes it. */
export interface OrderDoc {
  _id: string;
  [key: string]: unknown;
  orderId: string;
  customerId: string;
  status: OrderStatus;
  rentalStart: string;
  rentalEnd: string;
  rentalDays: number;
  items: OrderLine[];
  productIds: string[];
  subtotal: Money;
  deposit: Money;
  lateFee: Money;
  damages: Damage[];
  damageCharges: Money;
  cancellationFee: Money;
  holdExpiresAt: string;
  fulfilment: Fulfilment;
  returnedOn: string | null;
  payments: Record<string, PaymentSnapshot & { paymentId: string }>;
  timeline: Array<{ type: string; at: string; actor: string }>;
  revision: string;
  placedAt: string;
  updatedAt: string;
}

export const ORDERS_READ_MODEL = 'orders';
export const AVAILABILITY_READ_MODEL = 'availability';
