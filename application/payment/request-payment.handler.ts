import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import type { OrderState } from '../../domain/order/order.state.js';
import type { PaymentCommand } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { recordOrderPayment } from '../order/record-order-payment.js';
import { PAYMENT_GATEWAY, type AuthorizeResult, type PaymentGateway } from '../ports/payment-gateway.port.js';
import { CommandPath, assertExpectedRevision, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { existingPayment } from './payment-access.js';
import { visibleTo, type CustomerScope } from './payment.view.js';
import { RequestPaymentCommand, type RequestPaymentInput } from './request-payment.command.js';

/**
 * A payment for an order. The order is read once: it must take the payment (not closed, cancelled or
 * expired; no more than is open) before anything is written, and it accepts the payment under the
 * revision it was read at, so two requests racing for the same balance cannot both pass. The request
 * is recorded first (a webhook arriving at once finds the payment), then the provider is asked:
 * authorized and declined are recorded now, pending waits for the provider's webhook. Each step is
 * brought onto the order at once, so the answer's position covers the order's balance too.
 * `If-Match` pins the order's revision.
 */
@CommandHandler(RequestPaymentCommand)
export class RequestPaymentHandler implements ICommandHandler<RequestPaymentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ orderId, input, scope, ctx }: RequestPaymentCommand) {
    const order = await this.path.load(orderDecider, orderId, payableBy(scope));
    assertExpectedRevision(orderDecider.streamOf(orderId), order, ctx.ifMatch);
    const paymentId = this.deps.ids.uuid();
    const now = this.deps.now();
    orderDecider.decide(
      {
        type: 'AcceptPayment',
        data: { paymentId, purpose: input.purpose, amount: input.amount, sourceEventId: '', sourceRevision: 0 },
      },
      order.state,
    ); // refuse before writing
    const customerId = (order.state as Extract<OrderState, { customerId: string }>).customerId;
    const requested = await this.path.handle(
      paymentDecider,
      paymentId,
      {
        type: 'RequestPayment',
        data: { paymentId, orderId, customerId, ...input, currency: this.deps.settings.currency, now },
      },
      ctx,
    );
    const accepted = await recordOrderPayment(
      this.path,
      existingPayment(requested.state),
      { eventId: requested.eventIds[0], revision: requested.revision! },
      ctx,
      { now, loaded: order },
    );
    if (accepted.refused) throw accepted.refused;
    const outcome = await this.authorize(paymentId, input);
    if (outcome.outcome === 'pending') {
      return {
        paymentId,
        status: existingPayment(requested.state).status,
        position: latest(requested.position, accepted.order.position),
        revision: requested.revision!,
      };
    }
    const command: PaymentCommand =
      outcome.outcome === 'authorized'
        ? {
            type: 'RecordAuthorization',
            data: { amount: input.amount, providerRef: outcome.providerRef, now: this.deps.now() },
          }
        : { type: 'RecordFailure', data: { reason: outcome.reason, now: this.deps.now() } };
    const result = await this.path.handle(paymentDecider, paymentId, command, ctx, { loaded: requested });
    const payment = existingPayment(result.state);
    const recorded = await recordOrderPayment(
      this.path,
      payment,
      { eventId: result.eventIds[0], revision: result.revision! },
      ctx,
      { now, loaded: accepted.order },
    );
    return {
      paymentId,
      status: payment.status,
      position: latest(result.position, recorded.order.position),
      revision: result.revision!,
    };
  }

  /** A provider that cannot be reached leaves the payment pending (its webhook may still settle it). */
  private async authorize(
    paymentId: string,
    input: RequestPaymentInput,
  ): Promise<AuthorizeResult | { outcome: 'pending' }> {
    try {
      return await this.gateway.authorize({ paymentId, amount: input.amount, paymentMethod: input.paymentMethod });
    } catch (error) {
      this.deps.logger.error('payment authorization failed; the payment stays pending', {
        paymentId,
        error: (error as Error).message,
      });
      return { outcome: 'pending' };
    }
  }
}

/** The order, if the caller may pay it: an unknown order, or another customer's, is not found. */
const payableBy =
  (scope: CustomerScope) =>
  (state: OrderState): void => {
    if (state.status === 'none' || !visibleTo(scope, state.customerId))
      throw new DomainError(OrderErrors.notFound, 'No such order');
  };
