import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PaymentCommand } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { webhookEventDecider, webhookEventKey } from '../../domain/payment/webhook-event.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { recordOrderPayment } from '../order/record-order-payment.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { HandleWebhookCommand, type WebhookBody, type WebhookResult } from './handle-webhook.command.js';
import { existingPayment } from './payment-access.js';

const signatureProblems = {
  missing: 'The Rentlog-Signature header is missing',
  malformed: 'The Rentlog-Signature header is not t=<unix seconds>,v1=<hex HMAC-SHA256>',
  stale: 'The Rentlog-Signature timestamp is more than 300 s away from now',
  mismatch: 'The Rentlog-Signature does not match the body',
} as const;

/**
 * A provider's webhook: the signature over the raw body is checked before anything in it is
 * trusted; the provider event id is claimed once; the outcome is then applied to the payment through
 * its decider. A repeat (claim already there) answers 200 and is applied again, which decides nothing
 * when the first delivery was applied, and completes one that stopped between the claim and the
 * payment's append.
 */
@CommandHandler(HandleWebhookCommand)
export class HandleWebhookHandler implements ICommandHandler<HandleWebhookCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ provider, rawBody, signature, body, ctx }: HandleWebhookCommand): Promise<WebhookResult> {
    const { gateway } = this;
    const { logger } = this.deps;
    if (provider !== gateway.provider)
      throw new DomainError(PaymentErrors.providerNotFound, `No payment provider ${provider}`);
    const check = rawBody ? gateway.verifyWebhook(rawBody, signature) : ({ ok: false, reason: 'missing' } as const);
    if (!check.ok) {
      logger.warn('payment webhook refused', { provider, reason: check.reason });
      throw new DomainError(PaymentErrors.webhookSignatureInvalid, signatureProblems[check.reason], [
        { field: 'header.rentlog-signature', message: check.reason },
      ]);
    }
    const asProvider: CommandContext = {
      ...ctx,
      ifMatch: undefined,
      actor: { userId: `provider:${provider}`, role: 'payment_provider' },
    };
    const duplicate = !(await this.claim(provider, body, asProvider));
    const meta = { provider, webhookId: body.id, type: body.type, paymentId: body.data.paymentId, duplicate };
    const command = this.outcomeOf(body);
    if (!command) {
      logger.info('payment webhook type ignored', meta);
      return { duplicate, applied: false, status: null };
    }
    try {
      const result = await this.path.handle(paymentDecider, body.data.paymentId, command, asProvider);
      const payment = existingPayment(result.state);
      const status = payment.status;
      if (result.events.length > 0)
        await recordOrderPayment(
          this.path,
          payment,
          { eventId: result.eventIds[0], revision: result.revision! },
          asProvider,
          { now: this.deps.now() },
        );
      logger.info('payment webhook handled', { ...meta, applied: result.events.length, status });
      return { duplicate, applied: result.events.length > 0, status };
    } catch (error) {
      // A first delivery that contradicts the payment is refused (409: the provider retries); a repeat is always a 200.
      if (!(error instanceof DomainError) || (!duplicate && error.code !== PaymentErrors.notFound)) throw error;
      logger.warn(
        duplicate ? 'repeated payment webhook changes nothing' : 'payment webhook for an unknown payment ignored',
        { ...meta, code: error.code },
      );
      return { duplicate, applied: false, status: null };
    }
  }

  /** True when this delivery claimed the event id; false when it was claimed before. */
  private async claim(provider: string, body: WebhookBody, ctx: CommandContext): Promise<boolean> {
    const command = {
      type: 'ReceiveWebhookEvent' as const,
      data: { provider, eventId: body.id, eventType: body.type, paymentId: body.data.paymentId, now: this.deps.now() },
    };
    const result = await this.path.handle(webhookEventDecider, webhookEventKey(provider, body.id), command, ctx);
    return result.events.length > 0;
  }

  private outcomeOf({ type, data }: WebhookBody): PaymentCommand | null {
    const now = this.deps.now();
    switch (type) {
      case 'payment.authorized':
        return {
          type: 'RecordAuthorization',
          data: { amount: data.amount, providerRef: data.providerRef ?? data.paymentId, now },
        };
      case 'payment.failed':
        return { type: 'RecordFailure', data: { reason: data.reason ?? 'declined by the provider', now } };
      case 'payment.captured':
        return { type: 'RecordCapturedTotal', data: { total: data.amount, now } };
      case 'payment.refunded':
        return {
          type: 'RecordRefundedTotal',
          data: { total: data.amount, reason: data.reason ?? 'refunded at the provider', now },
        };
      default:
        return null;
    }
  }
}
