import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CapturePayment } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { capture } from '../../domain/payment/payment.rules.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import { recordOrderPayment } from '../order/record-order-payment.js';
import { CommandPath, assertExpectedRevision, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { CapturePaymentCommand } from './capture-payment.command.js';
import { existingPayment, mustExist } from './payment-access.js';
import { callProvider, movementKey } from './provider-call.js';

/**
 * Decides on the payment as it stands first (a refused capture never reaches the provider; `If-Match`
 * is checked here), captures at the provider (retried with backoff; a provider that never answers is a
 * 502/503 and nothing is recorded), then records it: what the provider did is recorded
 * whatever moved meanwhile, and brought onto the order at once (the answer's position covers its balance).
 */
@CommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ paymentId, input, ctx }: CapturePaymentCommand) {
    const loaded = await this.path.load(paymentDecider, paymentId, mustExist);
    assertExpectedRevision(paymentDecider.streamOf(paymentId), loaded, ctx.ifMatch);
    const payment = existingPayment(loaded.state);
    const command: CapturePayment = {
      type: 'CapturePayment',
      data: { amount: input.amount, currency: this.deps.settings.currency, now: this.deps.now() },
    };
    const [planned] = capture(command, payment);
    const amount = planned.data.amount;
    // Retried while the provider does not answer, under one key: the same capture of the same revision.
    const idempotencyKey = movementKey('capture', paymentId, loaded.revision, amount);
    await callProvider(
      { operation: 'capture', paymentId },
      () => this.gateway.capture({ paymentId, providerRef: payment.providerRef ?? paymentId, amount, idempotencyKey }),
      this.deps.logger,
    );
    const result = await this.path.handle(
      paymentDecider,
      paymentId,
      { ...command, data: { ...command.data, amount } },
      ctx,
      { loaded },
    );
    const captured = existingPayment(result.state);
    const recorded = await recordOrderPayment(
      this.path,
      captured,
      { eventId: result.eventIds[0], revision: result.revision! },
      ctx,
      { now: this.deps.now() },
    );
    return {
      status: captured.status,
      position: latest(result.position, recorded.order.position),
      revision: result.revision!,
    };
  }
}
