import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RefundPayment } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { refund } from '../../domain/payment/payment.rules.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import { orderDecider } from '../../domain/order/order.decider.js';
import { assertRefundable } from '../../domain/order/order.decide.js';
import { recordOrderPayment } from '../order/record-order-payment.js';
import { CommandPath, assertExpectedRevision, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { existingPayment, mustExist } from './payment-access.js';
import { callProvider, movementKey } from './provider-call.js';
import { RefundPaymentCommand } from './refund-payment.command.js';

/**
 * Decides on the payment as it stands first (a refused refund never reaches the provider; a closed
 * order takes none), refunds at the provider (retried with backoff under one idempotency key; a provider
 * that never answers is a 502/503 and nothing is recorded), then records it, on the payment and on its order.
 */
@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<RefundPaymentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ paymentId, input, ctx }: RefundPaymentCommand) {
    const loaded = await this.path.load(paymentDecider, paymentId, mustExist);
    assertExpectedRevision(paymentDecider.streamOf(paymentId), loaded, ctx.ifMatch);
    const payment = existingPayment(loaded.state);
    const order = await this.path.load(orderDecider, payment.orderId);
    assertRefundable(order.state);
    const command: RefundPayment = {
      type: 'RefundPayment',
      data: { ...input, currency: this.deps.settings.currency, now: this.deps.now() },
    };
    refund(command, payment);
    const idempotencyKey = movementKey('refund', paymentId, loaded.revision, input.amount);
    await callProvider(
      { operation: 'refund', paymentId },
      () =>
        this.gateway.refund({
          paymentId,
          providerRef: payment.providerRef ?? paymentId,
          amount: input.amount,
          idempotencyKey,
        }),
      this.deps.logger,
    );
    const result = await this.path.handle(
      paymentDecider,
      paymentId,
      command,
      { ...ctx, reason: input.reason },
      { loaded },
    );
    const after = existingPayment(result.state);
    const recorded = await recordOrderPayment(
      this.path,
      after,
      { eventId: result.eventIds[0], revision: result.revision! },
      ctx,
      { now: this.deps.now(), loaded: order },
    );
    return {
      status: after.status,
      refunded: after.refunded,
      position: latest(result.position, recorded.order.position),
      revision: result.revision!,
    };
  }
}
