import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RefundPayment } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { refund } from '../../domain/payment/payment.rules.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import { CommandPath, assertExpectedRevision } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { existingPayment, mustExist } from './payment-access.js';
import { RefundPaymentCommand } from './refund-payment.command.js';

/** Decides on the payment as it stands first (a refused refund never reaches the provider), refunds at the provider, then records it. */
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
    const command: RefundPayment = { type: 'RefundPayment', data: { ...input, currency: this.deps.settings.currency, now: this.deps.now() } };
    refund(command, payment);
    await this.gateway.refund({ paymentId, providerRef: payment.providerRef ?? paymentId, amount: input.amount });
    const result = await this.path.handle(paymentDecider, paymentId, command, { ...ctx, reason: input.reason }, { loaded });
    const after = existingPayment(result.state);
    return { status: after.status, refunded: after.refunded, position: result.position!, revision: result.revision! };
  }
}
