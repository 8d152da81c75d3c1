import { Command } from '@nestjs/cqrs';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export class RefundPaymentCommand extends Command<{
  status: PaymentStatus;
  refunded: Money;
  position: bigint;
  revision: bigint;
}> {
  constructor(
    readonly paymentId: string,
    readonly input: { amount: Money; reason: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
