import { Command } from '@nestjs/cqrs';
import type { Money } from '../../domain/shared/money.js';
import type { Fulfilment } from '../../domain/order/order.events.js';
import type { CommandContext } from '../shared/command-context.js';

export interface PlaceOrderInput {
  customerId?: string;
  rentalStart: string;
  rentalEnd: string;
  items: Array<{ productId: string; quantity: number }>;
  fulfilment?: Fulfilment;
}

export interface PlaceOrderResult {
  orderId: string;
  status: 'reserved';
  rentalDays: number;
  subtotal: Money;
  deposit: Money;
  total: Money;
  holdExpiresAt: string;
  position: bigint;
  revision: bigint;
}

export class PlaceOrderCommand extends Command<PlaceOrderResult> {
  constructor(
    readonly input: PlaceOrderInput,
    readonly ctx: CommandContext,
    /** Set when the caller acts as a customer: it orders for itself only. */
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}
