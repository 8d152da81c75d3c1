import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderStream, type OrderPlaced } from '../../domain/order/order.events.js';
import type { PaymentCommand } from '../../domain/payment/payment.commands.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import type { AuthorizeResult } from '../ports/payment-gateway.port.js';
import { PreconditionFailedError } from '../shared/application.errors.js';
import { PaymentDeps, unpinned } from './payment-deps.js';
import { visibleTo, type CustomerScope } from './payment.view.js';
import { RequestPaymentCommand, type RequestPaymentInput } from './request-payment.command.js';

/**
 * Records the request first (so that a webhook arriving at once finds the payment), then asks the
 * provider: authorized and declined are recorded now, pending waits for the provider's webhook.
 */
@CommandHandler(RequestPaymentCommand)
export class RequestPaymentHandler implements ICommandHandler<RequestPaymentCommand> {
  constructor(private readonly deps: PaymentDeps) {}

  async execute({ orderId, input, scope, ctx }: RequestPaymentCommand) {
    const customerId = await this.customerOf(orderId, scope, ctx.expectedRevision);
    const paymentId = this.deps.ids.uuid();
    const requested = await this.deps.run(
      paymentId,
      { type: 'RequestPayment', data: { paymentId, orderId, customerId, ...input, currency: this.deps.settings.currency, now: this.deps.now() } },
      unpinned(ctx),
    );
    const outcome = await this.authorize(paymentId, input);
    if (outcome.outcome === 'pending') return { paymentId, status: requested.state.status, position: requested.position, revision: requested.revision };
    const command: PaymentCommand =
      outcome.outcome === 'authorized'
        ? { type: 'RecordAuthorization', data: { amount: input.amount, providerRef: outcome.providerRef, now: this.deps.now() } }
        : { type: 'RecordFailure', data: { reason: outcome.reason, now: this.deps.now() } };
    const result = await this.deps.run(paymentId, command, unpinned(ctx));
    return { paymentId, status: result.state.status, position: result.position, revision: result.revision };
  }

  /** The order's customer, from its first event; 404 when there is no such order or it is not the caller's. `If-Match` pins the order's revision. */
  private async customerOf(orderId: string, scope: CustomerScope, expectedRevision: bigint | undefined): Promise<string> {
    const [placed] = await this.deps.store.readStream(orderStream(orderId), { maxCount: 1 });
    const customerId = placed?.type === 'OrderPlaced' ? (placed.data as OrderPlaced['data']).customerId : undefined;
    if (customerId === undefined || !visibleTo(scope, customerId)) throw new DomainError(OrderErrors.notFound, `No order ${orderId}`);
    if (expectedRevision !== undefined) {
      const [last] = await this.deps.store.readStream(orderStream(orderId), { direction: 'backwards', maxCount: 1 });
      if (last.revision !== expectedRevision) throw new PreconditionFailedError(orderStream(orderId), expectedRevision, last.revision);
    }
    return customerId;
  }

  /** A provider that cannot be reached leaves the payment pending (its webhook may still settle it). */
  private async authorize(paymentId: string, input: RequestPaymentInput): Promise<AuthorizeResult | { outcome: 'pending' }> {
    try {
      return await this.deps.gateway.authorize({ paymentId, amount: input.amount, paymentMethod: input.paymentMethod });
    } catch (error) {
      this.deps.logger.error('payment authorization failed; the payment stays pending', { paymentId, error: (error as Error).message });
      return { outcome: 'pending' };
    }
  }
}
