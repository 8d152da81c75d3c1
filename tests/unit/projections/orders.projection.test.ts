import type { OrderDoc } from '../../../application/order/order.view.js';
import { orderDecider } from '../../../domain/order/order.decider.js';
import type { OrderEvent, OrderLine } from '../../../domain/order/order.events.js';
import { paymentDecider } from '../../../domain/payment/payment.decider.js';
import type { PaymentEvent } from '../../../domain/payment/payment.events.js';
import { ordersProjection } from '../../../projections/order/orders.projection.js';
import { eur, recorded } from '../../support/fixtures.js';

const at = '2026-03-01T10:00:00.000Z';
const line: OrderLine = {
  productId: 'p1',
  sku: 'S',
  name: 'Tent',
  quantity: 1,
  dailyRate: eur(1000),
  unitDeposit: eur(5000),
  lineTotal: eur(5000),
};
const refs = [{ productId: 'p1', quantity: 1 }];
const o = { orderId: 'o1', customerId: 'c1' };
const p = { paymentId: 'pay1', orderId: 'o1' };

/** A whole life: each event with its own stream revision and a global position. */
const history: Array<{ event: OrderEvent | PaymentEvent; revision: bigint }> = [
  {
    event: {
      type: 'OrderPlaced',
      data: {
        ...o,
        rentalStart: '2026-03-10',
        rentalEnd: '2026-03-15',
        rentalDays: 5,
        items: [line],
        subtotal: eur(5000),
        deposit: eur(5000),
        holdExpiresAt: at,
        fulfilment: { method: 'pickup' },
        placedAt: at,
      },
    },
    revision: 0n,
  },
  {
    event: {
      type: 'PaymentRequested',
      data: {
        ...p,
        customerId: 'c1',
        amount: eur(10000),
        purpose: 'deposit',
        paymentMethod: 'pm_card_ok',
        requestedAt: at,
      },
    },
    revision: 0n,
  },
  {
    event: {
      type: 'OrderPaymentUpdated',
      data: {
        ...o,
        paymentId: 'pay1',
        purpose: 'deposit',
        status: 'pending',
        amount: eur(10000),
        authorized: eur(0),
        captured: eur(0),
        refunded: eur(0),
        sourceEventId: 'e',
        sourceRevision: 0,
      },
    } as OrderEvent,
    revision: 1n,
  },
  {
    event: { type: 'PaymentAuthorized', data: { ...p, amount: eur(10000), providerRef: 'r', authorizedAt: at } },
    revision: 1n,
  },
  { event: { type: 'OrderConfirmed', data: { ...o, items: refs, confirmedAt: at } }, revision: 2n },
  {
    event: {
      type: 'OrderExtended',
      data: {
        orderId: 'o1',
        previousRentalEnd: '2026-03-15',
        rentalEnd: '2026-03-16',
        rentalDays: 6,
        items: [{ ...line, lineTotal: eur(6000) }],
        subtotal: eur(6000),
        extendedAt: at,
      },
    },
    revision: 3n,
  },
  { event: { type: 'OrderPickedUp', data: { ...o, items: refs, pickedUpAt: at } }, revision: 4n },
  {
    event: { type: 'PaymentCaptured', data: { ...p, amount: eur(10000), captured: eur(10000), capturedAt: at } },
    revision: 2n,
  },
  {
    event: {
      type: 'OrderReturned',
      data: {
        ...o,
        returnedOn: '2026-03-17',
        lateDays: 1,
        lateFee: eur(1500),
        damages: [],
        damageCharges: eur(0),
        items: refs,
        returnedAt: at,
      },
    },
    revision: 5n,
  },
  {
    event: {
      type: 'PaymentRefunded',
      data: { ...p, amount: eur(500), refunded: eur(500), reason: 'r', refundedAt: at },
    },
    revision: 3n,
  },
  { event: { type: 'OrderClosed', data: { ...o, closedAt: at } }, revision: 6n },
];
const events = history.map(({ event, revision }, i) => recorded(event, BigInt(i + 1), revision, at));
const apply = (doc: OrderDoc | null, event: (typeof events)[number]) => ordersProjection.apply(doc, event, 'o1');

describe('orders projection', () => {
  const final = events.reduce<OrderDoc | null>(apply, null)!;

  it("folds the order's facts with the order decider's evolve, and its payments with the payment decider's", () => {
    const order = events
      .filter((e) => !e.type.startsWith('Payment'))
      .reduce((s, e) => orderDecider.evolve(s, e as never), orderDecider.initialState());
    const { payments: _w, ...facts } = order as Extract<typeof order, { orderId: string }>;
    expect(final).toMatchObject(facts);
    const payment = events
      .filter((e) => e.type.startsWith('Payment'))
      .reduce((s, e) => paymentDecider.evolve(s, e as never), paymentDecider.initialState());
    expect(final.payments.pay1).toEqual({ ...payment, revision: '3' });
    expect(final).toMatchObject({ status: 'closed', revision: '6', productIds: ['p1'], placedAt: at });
    expect(final.timeline.map((e) => e.type)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
      'OrderExtended',
      'OrderPickedUp',
      'OrderReturned',
      'OrderClosed',
    ]);
  });

  it.each(events.map((event, i) => [event.type, i] as const))('applying %s twice changes nothing', (_type, i) => {
    const before = events.slice(0, i).reduce<OrderDoc | null>(apply, null);
    const once = apply(before, events[i]);
    expect(apply(once, events[i])).toEqual(once);
  });

  it('replays to the same document: a rebuild from position zero equals the live run', () => {
    expect(events.reduce<OrderDoc | null>(apply, null)).toEqual(final);
  });

  it('ignores payment events of an order it never saw', () => expect(apply(null, events[1])).toBeNull());
});
