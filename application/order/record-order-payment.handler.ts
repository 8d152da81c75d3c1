import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RecordOrderPaymentCommand } from './record-order-payment.command.js';
import { recordOrderPayment } from './record-order-payment.js';

@CommandHandler(RecordOrderPaymentCommand)
export class RecordOrderPaymentHandler implements ICommandHandler<RecordOrderPaymentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ payment, source, ctx }: RecordOrderPaymentCommand) {
    const { order, refused } = await recordOrderPayment(this.path, payment, source, ctx, { now: this.deps.now() });
    if (refused)
      this.deps.logger.warn('order refused a payment; the payment was failed', {
        paymentId: payment.paymentId,
        orderId: payment.orderId,
        code: refused.code,
      });
    return { position: order.events.length > 0 ? order.position : null, refused: refused?.code ?? null };
  }
}
