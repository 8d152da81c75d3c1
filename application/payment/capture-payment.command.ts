import { Command } from '@nestjs/cqrs';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export class CapturePaymentCommand extends Command<{ status: PaymentStatus; position: bigint; revision: bigint }> {
  constructor(
    readonly paymentId: string,
    /** Without `amount`: all that is left of the authorization. */
    readonly input: { amount?: Money },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
