import { Command } from '@nestjs/cqrs';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

/**
 * A provider's webhook body. For `payment.captured` and `payment.refunded`, `data.amount` is the
 * provider's running total for the payment (not one capture or refund), so a repeat changes nothing.
 */
export interface WebhookBody {
  id: string;
  type: string;
  created: number;
  data: { paymentId: string; amount: Money; providerRef?: string; reason?: string };
}

export interface WebhookResult {
  /** The provider event id was delivered before. */
  duplicate: boolean;
  /** Events were appended to the payment. */
  applied: boolean;
  /** The payment's status after the webhook; null when it names no known payment or an ignored type. */
  status: PaymentStatus | null;
}

export class HandleWebhookCommand extends Command<WebhookResult> {
  constructor(
    readonly provider: string,
    /** The exact bytes received: the signature covers them, not the parsed JSON. */
    readonly rawBody: Buffer | undefined,
    readonly signature: string | undefined,
    readonly body: WebhookBody,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
