import type { OrderEvent, LineRef } from '../../domain/order/order.events.js';
import { orderStream } from '../../domain/order/order.events.js';
import { decideOrder } from '../../domain/order/order.decide.js';
import type { Money } from '../../domain/shared/money.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import type { Logger } from '../ports/logger.port.js';
import { systemContext } from '../shared/command-context.js';
import { decideAndAppend } from '../shared/event-sourcing.js';
import type { ProcessManager } from '../shared/process-manager-runner.js';
import { orderEvolver } from './order-deps.js';
import { releaseUnits } from './release-units.js';

const PAYMENT_EVENTS = ['PaymentRequested', 'PaymentAuthorized', 'PaymentFailed', 'PaymentCaptured', 'PaymentRefunded'];
const RELEASING: Record<string, 'cancelled' | 'expired' | 'returned'> = { OrderCancelled: 'cancelled', OrderExpired: 'expired', OrderReturned: 'returned' };

interface PaymentFacts {
  orderId: string;
  purpose: 'deposit' | 'rental' | 'fee';
  status: string;
  authorized: Money;
  captured: Money;
  refunded: Money;
}

/** Folds a payment's events into what the order needs to know of it. */
export function paymentFacts(events: RecordedEvent[]): PaymentFacts | null {
  let facts: PaymentFacts | null = null;
  for (const { type, data } of events) {
    const d = data as Record<string, never>;
    if (type === 'PaymentRequested') {
      const zero = { amount: 0, currency: (d.amount as Money).currency };
      facts = { orderId: d.orderId, purpose: d.purpose, status: 'pending', authorized: zero, captured: zero, refunded: zero };
      continue;
    }
    const f: PaymentFacts | null = facts;
    if (!f) continue;
    if (type === 'PaymentAuthorized') facts = { ...f, status: 'authorized', authorized: d.amount };
    else if (type === 'PaymentFailed') facts = { ...f, status: 'failed' };
    else if (type === 'PaymentCaptured') facts = { ...f, status: 'captured', captured: d.captured };
    else if (type === 'PaymentRefunded') facts = { ...f, refunded: d.refunded, status: (d.refunded as Money).amount >= f.captured.amount ? 'refunded' : 'partially_refunded' };
  }
  return facts;
}

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

  constructor(private readonly deps: { store: EventStore; clock: Clock; ids: IdGenerator; logger: Logger }) {}

  async handle(event: RecordedEvent): Promise<void> {
    const ctx = systemContext(event.metadata.correlationId, event.id);
    if (event.type in RELEASING) {
      const data = (event as unknown as OrderEvent).data as { orderId: string; items: LineRef[] };
      await releaseUnits(this.deps, { orderId: data.orderId, items: data.items }, RELEASING[event.type], ctx);
      return;
    }
    const payment = await this.deps.store.readStream(event.streamId);
    const facts = paymentFacts(payment);
    if (!facts) return;
    const last = payment[payment.length - 1];
    const paymentId = event.streamId.replace(/^payment-/, '');
    await decideAndAppend(
      this.deps,
      orderStream(facts.orderId),
      orderEvolver,
      (state) =>
        state.status === 'none'
          ? []
          : decideOrder(
              {
                type: 'RecordPayment',
                data: { paymentId, purpose: facts.purpose, status: facts.status, authorized: facts.authorized, captured: facts.captured, refunded: facts.refunded, sourceEventId: last.id, sourceRevision: Number(last.revision) },
              },
              state,
            ),
      ctx,
    );
  }
}
