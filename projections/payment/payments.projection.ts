import type { PaymentHistoryEntry, PaymentView } from '../../application/payment/payment.view.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { paymentEventTypes, type PaymentEvent } from '../../domain/payment/payment.events.js';
import type { PaymentState } from '../../domain/payment/payment.state.js';
import type { Projection } from '../runner/projection.js';

export type PaymentDoc = PaymentView;

const stateOf = (doc: PaymentDoc | null): PaymentState => {
  if (!doc) return paymentDecider.initialState();
  const { _id, _position, history: _h, revision: _r, createdAt: _c, updatedAt: _u, ...payment } = doc;
  return payment as PaymentState;
};

function entryOf(event: PaymentEvent): PaymentHistoryEntry {
  switch (event.type) {
    case 'PaymentRequested':
      return { type: event.type, at: event.data.requestedAt, amount: event.data.amount };
    case 'PaymentAuthorized':
      return { type: event.type, at: event.data.authorizedAt, amount: event.data.amount };
    case 'PaymentFailed':
      return { type: event.type, at: event.data.failedAt, reason: event.data.reason };
    case 'PaymentCaptured':
      return { type: event.type, at: event.data.capturedAt, amount: event.data.amount };
    case 'PaymentRefunded':
      return { type: event.type, at: event.data.refundedAt, amount: event.data.amount, reason: event.data.reason };
  }
}

/**
 * One document per payment: its state folded with the payment decider's own `evolve`, and its
 * history. An event at or below the document's stream revision was applied already and changes
 * nothing (the history is appended to, so this guard matters).
 */
export const paymentsProjection: Projection<PaymentDoc, PaymentEvent> = {
  name: 'payments',
  version: 2,
  collection: 'payments',
  indexes: [
    { fields: { orderId: 1, createdAt: -1 } },
    { fields: { status: 1, createdAt: -1 } },
    { fields: { createdAt: -1 } },
  ],
  handles: new Set<string>(paymentEventTypes),
  keys: (event) => [event.data.paymentId],
  apply(doc, event) {
    if (doc && BigInt(doc.revision) >= event.revision) return doc;
    const state = paymentDecider.evolve(stateOf(doc), event);
    if (state.status === 'none') return doc;
    const entry = entryOf(event);
    return {
      _id: state.paymentId,
      ...state,
      history: [...(doc?.history ?? []), entry],
      revision: String(event.revision),
      createdAt: doc?.createdAt ?? entry.at,
      updatedAt: event.metadata.occurredAt,
    };
  },
};
