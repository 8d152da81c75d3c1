import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { systemContext } from '../shared/command-context.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { Schedule } from '../shared/job.js';
import { PAYMENTS_READ_MODEL, type PaymentView } from './payment.view.js';
import { ReconcilePaymentCommand } from './reconcile-payment.command.js';

/** Payments reconciled in one slot at most; the rest wait for the next minute. */
const BATCH = 200;

/**
 * Every minute: each payment pending for longer than `PAYMENT_PENDING_TIMEOUT_SECONDS` (read from the
 * payments read model, which survives any crash) is asked of the provider again and settled by
 * ReconcilePaymentCommand, so no payment stays pending for ever. A slot that runs twice does no harm:
 * a settled payment is not asked again. One payment's failure (the provider still down) is logged and
 * the next is tried; it is asked again in the next slot.
 */
@Injectable()
export class ReconcilePaymentsJob implements Schedule {
  readonly name = 'reconcile-payments';
  readonly cron = '* * * * *';
  readonly queue = 'payments' as const;

  constructor(
    private readonly commands: CommandBus,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async run(slot: { id: string; at: Date }) {
    const timeoutSeconds = this.deps.settings.payments.pendingTimeoutSeconds;
    const before = new Date(this.deps.clock.now().getTime() - timeoutSeconds * 1000).toISOString();
    const stale = await this.store
      .collection<PaymentView>(PAYMENTS_READ_MODEL)
      .find({ status: 'pending', createdAt: { $lte: before } }, { sort: { createdAt: 1 }, limit: BATCH });
    const counts = { found: stale.length, authorized: 0, failed: 0, unchanged: 0, errors: 0 };
    for (const { paymentId } of stale) {
      try {
        const ctx = systemContext(`reconcile-payments-${slot.id}`, `reconcile-${paymentId}`);
        const result = await this.commands.execute(new ReconcilePaymentCommand(paymentId, ctx));
        if (!result.settled) counts.unchanged++;
        else if (result.status === 'failed') counts.failed++;
        else counts.authorized++;
      } catch (error) {
        counts.errors++;
        this.deps.logger.warn('could not reconcile payment', { paymentId, error: (error as Error).message });
      }
    }
    return counts;
  }
}
