import { Command } from '@nestjs/cqrs';
import type { Payment } from '../../domain/payment/payment.state.js';
import type { CommandContext } from '../shared/command-context.js';
import type { PaymentSource } from './record-order-payment.js';

/** Sent by the order-payments workflow: bring the payment, as its events now say, onto its order. */
export class RecordOrderPaymentCommand extends Command<{ position: bigint | null; refused: string | null }> {
  constructor(
    readonly payment: Payment,
    readonly source: PaymentSource,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
