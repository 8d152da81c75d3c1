import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PaymentCommand } from '../../domain/payment/payment.commands.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { recordOrderPayment } from '../order/record-order-payment.js';
import { PAYMENT_GATEWAY, type PaymentGateway, type ProviderPaymentStatus } from '../ports/payment-gateway.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { existingPayment, mustExist } from './payment-access.js';
import { callProvider } from './provider-call.js';
import { ReconcilePaymentCommand, type ReconcileResult } from './reconcile-payment.command.js';

/**
 * A payment left pending (its webhook never came, the authorization's answer was lost, a process died
 * between the two): the provider is asked again (retried with backoff), and its answer is recorded
 * through the payment's decider, as a webhook would be, and brought onto the order. A payment settled
 * meanwhile is not asked about; an answer racing a webhook decides nothing the second time.
 */
@CommandHandler(ReconcilePaymentCommand)
export class ReconcilePaymentHandler implements ICommandHandler<ReconcilePaymentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ paymentId, ctx }: ReconcilePaymentCommand): Promise<ReconcileResult> {
    const loaded = await this.path.load(paymentDecider, paymentId, mustExist);
    const payment = existingPayment(loaded.state);
    if (payment.status !== 'pending') return { status: payment.status, provider: 'not asked', settled: false };
    const answer = await callProvider(
      { operation: 'status', paymentId },
      () => this.gateway.status({ paymentId, amount: payment.amount, paymentMethod: payment.paymentMethod }),
      this.deps.logger,
    );
    const command = this.commandOf(answer);
    if (!command) return { status: payment.status, provider: answer.outcome, settled: false };
    const result = await this.path.handle(paymentDecider, paymentId, command, ctx, { loaded });
    const after = existingPayment(result.state);
    if (result.events.length > 0)
      await recordOrderPayment(this.path, after, { eventId: result.eventIds[0], revision: result.revision! }, ctx, {
        now: this.deps.now(),
      });
    return { status: after.status, provider: answer.outcome, settled: result.events.length > 0 };
  }

  private commandOf(answer: ProviderPaymentStatus): PaymentCommand | null {
    const now = this.deps.now();
    switch (answer.outcome) {
      case 'authorized':
        return { type: 'RecordAuthorization', data: { amount: answer.amount, providerRef: answer.providerRef, now } };
      case 'declined':
        return { type: 'RecordFailure', data: { reason: answer.reason, now } };
      case 'unknown':
        return { type: 'RecordFailure', data: { reason: 'unknown_at_provider', now } };
      case 'pending':
        return null;
      default: {
        const _exhaustive: never = answer;
        return _exhaustive;
      }
    }
  }
}
