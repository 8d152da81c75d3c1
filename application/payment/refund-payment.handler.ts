import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RefundPayment } from '../../domain/payment/payment.commands.js';
import { refund } from '../../domain/payment/payment.rules.js';
import { PaymentDeps, unpinned } from './payment-deps.js';
import { RefundPaymentCommand } from './refund-payment.command.js';

/** Decides on the current state first (a refused refund never reaches the provider), refunds at the provider, then records it. */
@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<RefundPaymentCommand> {
  constructor(private readonly deps: PaymentDeps) {}

  async execute({ paymentId, input, ctx }: RefundPaymentCommand) {
    const payment = await this.deps.load(paymentId, ctx);
    const command: RefundPayment = { type: 'RefundPayment', data: { ...input, currency: this.deps.settings.currency, now: this.deps.now() } };
    refund(command, payment);
    await this.deps.gateway.refund({ paymentId, providerRef: payment.providerRef ?? paymentId, amount: input.amount });
    const result = await this.deps.run(paymentId, command, unpinned({ ...ctx, reason: input.reason }));
    return { status: result.state.status, refunded: result.state.refunded, position: result.position, revision: result.revision };
  }
}
