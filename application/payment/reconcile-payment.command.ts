import { Command } from '@nestjs/cqrs';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { CommandContext } from '../shared/command-context.js';

export interface ReconcileResult {
  status: PaymentStatus;
  /** What the provider answered: `pending` leaves the payment as it is, for the next run. */
  provider: 'authorized' | 'declined' | 'pending' | 'unknown' | 'not asked';
  /** Whether an event was recorded. */
  settled: boolean;
}

/** Ask the provider how a payment left pending stands, and record its answer. */
export class ReconcilePaymentCommand extends Command<ReconcileResult> {
  constructor(
    readonly paymentId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
