import type { PaymentHistoryEntry, PaymentView } from '../../application/payment/payment.view.js';
import type { PaymentEvent } from '../../domain/payment/payment.events.js';
import type { Projection } from '../runner/projection.js';

export type PaymentDoc = PaymentView;

const handled = ['PaymentRequested', 'PaymentAuthorized', 'PaymentFailed', 'PaymentCaptured', 'PaymentRefunded'] as const;

/**
 * One document per payment, with its history. An event at or below the document's stream revision
 * was applied already and changes nothing (the history is appended to, so this guard matters).
 */
export const paymentsProjection: Projection<PaymentDoc> = {
  name: 'payments',
  version: 1,
  collection: 'payments',
  indexes: [{ fields: { orderId: 1, createdAt: -1 } }, { fields: { status: 1, createdAt: -1 } }, { fields: { createdAt: -1 } }],
  handles: new Set<string>(handled),
  keys: (event) => [(event.data as { paymentId: string }).paymentId],
  apply(doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as PaymentEvent;
    if (doc && BigInt(doc.revision) >= recorded.revision) return doc;
    const revision = String(recorded.revision);
    const at = recorded.metadata.occurredAt;
    const step = (entry: PaymentHistoryEntry, changes: Partial<PaymentDoc>): PaymentDoc | null =>
      doc && { ...doc, ...changes, history: [...doc.history, entry], revision, updatedAt: at };
    switch (event.type) {
      case 'PaymentRequested': {
        const d = event.data;
        const zero = { amount: 0, currency: d.amount.currency };
        return {
          _id: d.paymentId,
          paymentId: d.paymentId,
          orderId: d.orderId,
          customerId: d.customerId,
          amount: d.amount,
          purpose: d.purpose,
          paymentMethod: d.paymentMethod,
          status: 'pending',
          authorized: zero,
          captured: zero,
          refunded: zero,
          history: [{ type: event.type, at: d.requestedAt, amount: d.amount }],
          revision,
          createdAt: d.requestedAt,
          updatedAt: at,
        };
      }
      case 'PaymentAuthorized':
        return step({ type: event.type, at: event.data.authorizedAt, amount: event.data.amount }, { status: 'authorized', authorized: event.data.amount });
      case 'PaymentFailed':
        return step({ type: event.type, at: event.data.failedAt, reason: event.data.reason }, { status: 'failed' });
      case 'PaymentCaptured':
        return step({ type: event.type, at: event.data.capturedAt, amount: event.data.amount }, { status: 'captured', captured: event.data.captured });
      case 'PaymentRefunded': {
        const { refunded } = event.data;
        const status = doc && refunded.amount >= doc.captured.amount ? 'refunded' : 'partially_refunded';
        return step({ type: event.type, at: event.data.refundedAt, amount: event.data.amount, reason: event.data.reason }, { status, refunded });
      }
      default:
        return doc;
    }
  },
};
