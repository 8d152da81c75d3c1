import type { LineRef } from '../../domain/order/order.events.js';
import { orderDecider } from '../../domain/order/order.decider.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import type { Clock } from '../ports/clock.port.js';
import type { RecordedEvent } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import { systemContext } from '../shared/command-context.js';
import type { CommandPath } from '../shared/command-path.js';
import type { ProcessManager } from '../shared/process-manager-runner.js';
import { releaseUnits } from '../product/release-units.js';

const PAYMENT_EVENTS = ['PaymentRequested', 'PaymentAuthorized', 'PaymentFailed', 'PaymentCaptured', 'PaymentRefunded'];
const RELEASING: Record<string, 'cancelled' | 'expired' | 'returned'> = { OrderCancelled: 'cancelled', OrderExpired: 'expired', OrderReturned: 'returned' };

/**
 * Keeps orders, payments and product bookings in step, from the log:
 * - a payment's progress is recorded on its order (so confirming and closing decide on it);
 * - a cancelled, expired or returned order's units are released (again: the handler did it at
 *   once; this mends a crash in between).
 * Both are idempotent, so redelivery changes nothing.
 */
export class OrderProcessManager implements ProcessManager {
  readonly name = 'orders';
  readonly handles = new Set([...PAYMENT_EVENTS, ...Object.keys(RELEASING)]);

  constructor(private readonly deps: { path: CommandPath; clock: Clock; logger: Logger }) {}

  async handle(event: RecordedEvent): Promise<void> {
    const ctx = systemContext(event.metadata.correlationId, event.id);
    if (event.type in RELEASING) {
      const data = event.data as { orderId: string; items: LineRef[] };
      await releaseUnits({ path: this.deps.path, logger: this.deps.logger, now: this.deps.clock.now().toISOString() }, data, RELEASING[event.type], ctx);
      return;
    }
    const paymentId = event.streamId.replace(/^payment-/, '');
    const payment = await this.deps.path.load(paymentDecider, paymentId);
    const p = payment.state;
    if (p.status === 'none' || payment.revision === null) return;
    const data = { paymentId, purpose: p.purpose, status: p.status, authorized: p.authorized, captured: p.captured, refunded: p.refunded, sourceEventId: event.id, sourceRevision: Number(payment.revision) };
    const order = await this.deps.path.load(orderDecider, p.orderId);
    if (order.state.status === 'none') return;
    await this.deps.path.handle(orderDecider, p.orderId, { type: 'RecordPayment', data }, ctx, { loaded: order });
  }
}
