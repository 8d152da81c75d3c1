import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CapturePayment } from '../../domain/payment/payment.commands.js';
import { capture } from '../../domain/payment/payment.rules.js';
import { CapturePaymentCommand } from './capture-payment.command.js';
import { PaymentDeps, unpinned } from './payment-deps.js';

/** Decides on the current state first (a refused capture never reaches the provider), captures at the provider, then records it. */
@CommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentCommand> {
  constructor(private readonly deps: PaymentDeps) {}

  async execute({ paymentId, input, ctx }: CapturePaymentCommand) {
    const payment = await this.deps.load(paymentId, ctx);
    const command: CapturePayment = { type: 'CapturePayment', data: { amount: input.amount, currency: this.deps.settings.currency, now: this.deps.now() } };
    const [planned] = capture(command, payment);
    const amount = planned.data.amount;
    await this.deps.gateway.capture({ paymentId, providerRef: payment.providerRef ?? paymentId, amount });
    const result = await this.deps.run(paymentId, { ...command, data: { ...command.data, amount } }, unpinned(ctx));
    return { status: result.state.status, position: result.position, revision: result.revision };
  }
}
