import type { PaymentEvent } from '../../../domain/payment/payment.events.js';
import { paymentsProjection, type PaymentDoc } from '../../../projections/payment/payments.projection.js';
import { eur, recorded } from '../../support/fixtures.js';

const ids = { paymentId: 'pay1', orderId: 'ord1' };
const at = (n: number) => `2026-01-0${n}T10:00:00.000Z`;

const requested: PaymentEvent = {
  type: 'PaymentRequested',
  data: {
    ...ids,
    customerId: 'c1',
    amount: eur(10000),
    purpose: 'deposit',
    paymentMethod: 'pm_card_ok',
    requestedAt: at(1),
  },
};
const authorized: PaymentEvent = {
  type: 'PaymentAuthorized',
  data: { ...ids, amount: eur(10000), providerRef: 'ref1', authorizedAt: at(2) },
};
const failed: PaymentEvent = { type: 'PaymentFailed', data: { ...ids, reason: 'card_declined', failedAt: at(2) } };
const captured: PaymentEvent = {
  type: 'PaymentCaptured',
  data: { ...ids, amount: eur(10000), captured: eur(10000), capturedAt: at(3) },
};
const refundedPart: PaymentEvent = {
  type: 'PaymentRefunded',
  data: { ...ids, amount: eur(4000), refunded: eur(4000), reason: 'scratch', refundedAt: at(4) },
};
const refundedRest: PaymentEvent = {
  type: 'PaymentRefunded',
  data: { ...ids, amount: eur(6000), refunded: eur(10000), reason: 'broken', refundedAt: at(5) },
};

const apply = (doc: PaymentDoc | null, event: PaymentEvent, revision: number) =>
  paymentsProjection.apply(doc, recorded(event, BigInt(revision + 1), BigInt(revision)), ids.paymentId);

function fold(events: PaymentEvent[]): PaymentDoc | null {
  return events.reduce<PaymentDoc | null>((doc, event, revision) => apply(doc, event, revision), null);
}

describe('payments projection', () => {
  it('creates the document on PaymentRequested', () => {
    expect(fold([requested])).toEqual({
      _id: 'pay1',
      ...ids,
      customerId: 'c1',
      amount: eur(10000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
      providerRef: null,
      status: 'pending',
      authorized: eur(0),
      captured: eur(0),
      refunded: eur(0),
      history: [{ type: 'PaymentRequested', at: at(1), amount: eur(10000) }],
      revision: '0',
      createdAt: at(1),
      updatedAt: expect.any(String),
    });
  });

  it('follows authorization, capture and refunds, with the history and the stream revision', () => {
    const doc = fold([requested, authorized, captured, refundedPart])!;
    expect(doc).toMatchObject({
      status: 'partially_refunded',
      authorized: eur(10000),
      captured: eur(10000),
      refunded: eur(4000),
      revision: '3',
    });
    const done = apply(doc, refundedRest, 4)!;
    expect(done).toMatchObject({ status: 'refunded', refunded: eur(10000), revision: '4' });
    expect(done.history).toEqual([
      { type: 'PaymentRequested', at: at(1), amount: eur(10000) },
      { type: 'PaymentAuthorized', at: at(2), amount: eur(10000) },
      { type: 'PaymentCaptured', at: at(3), amount: eur(10000) },
      { type: 'PaymentRefunded', at: at(4), amount: eur(4000), reason: 'scratch' },
      { type: 'PaymentRefunded', at: at(5), amount: eur(6000), reason: 'broken' },
    ]);
  });

  it('records a decline', () => {
    expect(fold([requested, failed])).toMatchObject({
      status: 'failed',
      history: [{ type: 'PaymentRequested' }, { type: 'PaymentFailed', reason: 'card_declined' }],
    });
  });

  it('ignores events for a payment it never saw', () => {
    expect(apply(null, authorized, 1)).toBeNull();
  });

  it('indexes what the list filters on', () => {
    const fields = paymentsProjection.indexes.map((i) => Object.keys(i.fields)[0]);
    expect(fields).toEqual(expect.arrayContaining(['orderId', 'status']));
  });

  it.each([
    ['PaymentRequested', [], requested],
    ['PaymentAuthorized', [requested], authorized],
    ['PaymentFailed', [requested], failed],
    ['PaymentCaptured', [requested, authorized], captured],
    ['PaymentRefunded', [requested, authorized, captured], refundedPart],
  ] as const)('applying %s again changes nothing', (_type, before, event) => {
    const once = apply(fold([...before]), event, before.length);
    expect(once).not.toBeNull();
    expect(apply(once, event, before.length)).toEqual(once);
  });
});
