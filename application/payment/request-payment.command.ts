import { Command } from '@nestjs/cqrs';
import type { PaymentPurpose } from '../../domain/payment/payment.events.js';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';
import type { CustomerScope } from './payment.view.js';

export interface RequestPaymentInput {
  amount: Money;
  purpose: PaymentPurpose;
  paymentMethod: string;
}

export class RequestPaymentCommand extends Command<{
  paymentId: string;
  status: PaymentStatus;
  position: bigint;
  revision: bigint;
}> {
  constructor(
    readonly orderId: string,
    readonly input: RequestPaymentInput,
    /** A customer may pay only its own orders. */
    readonly scope: CustomerScope,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
