import type { OrderCommand } from '../../../domain/order/order.commands.js';
import { assertRefundable, decideOrder } from '../../../domain/order/order.decide.js';
import type { OrderEvent, OrderLine } from '../../../domain/order/order.events.js';
import { orderTotals } from '../../../domain/order/order.money.js';
import { evolveOrder, initialOrderState, type OrderFacts } from '../../../domain/order/order.state.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { eur } from '../../support/fixtures.js';

const spec = deciderSpec({ decide: decideOrder, evolve: evolveOrder, initialState: initialOrderState });
const now = '2026-03-01T10:00:00.000Z';
const line: OrderLine = {
  productId: 'p1',
  sku: 'T',
  name: 'Tent',
  quantity: 2,
  dailyRate: eur(1000),
  unitDeposit: eur(5000),
  lineTotal: eur(10000),
};
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId: 'o1',
    customerId: 'c1',
    rentalStart: '2026-03-10',
    rentalEnd: '2026-03-15',
    rentalDays: 5,
    items: [line],
    subtotal: eur(10000),
    deposit: eur(10000),
    holdExpiresAt: '2026-03-01T10:30:00.000Z',
    fulfilment: { method: 'pickup' },
    placedAt: now,
  },
};
const refs = [{ productId: 'p1', quantity: 2 }];
const payment = (status: string, authorized: number, captured: number, refunded: number, rev: number): OrderEvent => ({
  type: 'OrderPaymentUpdated',
  data: {
    orderId: 'o1',
    paymentId: 'pay1',
    purpose: 'deposit',
    status,
    amount: eur(Math.max(authorized, captured)),
    authorized: eur(authorized),
    captured: eur(captured),
    refunded: eur(refunded),
    sourceEventId: `e${rev}`,
    sourceRevision: rev,
  },
});
const recordOf = (event: OrderEvent) => {
  const { orderId: _o, ...rest } = (event as Extract<OrderEvent, { type: 'OrderPaymentUpdated' }>).data;
  return rest;
};
const confirmed: OrderEvent = {
  type: 'OrderConfirmed',
  data: { orderId: 'o1', customerId: 'c1', items: refs, confirmedAt: now },
};
const pickedUp: OrderEvent = {
  type: 'OrderPickedUp',
  data: { orderId: 'o1', customerId: 'c1', items: refs, pickedUpAt: now },
};
const cmd = <T extends OrderCommand['type']>(type: T, data: Extract<OrderCommand, { type: T }>['data']) =>
  ({ type, data }) as OrderCommand;
const lateReturn = (
  returnedOn: string,
  damages: Array<{ productId: string; description: string; charge: { amount: number; currency: string } }> = [],
  at = '2026-03-20T10:00:00.000Z',
) => cmd('ReturnOrder', { returnedOn, damages, policy: { feePercent: 150, graceDays: 0 }, now: at });
const returned = (events: OrderEvent[]) => events.reduce(evolveOrder, initialOrderState()) as OrderFacts;

describe('Order decider', () => {
  it('places an order with subtotal and deposit', () =>
    spec
      .given([])
      .when(
        cmd('PlaceOrder', {
          orderId: 'o1',
          customerId: 'c1',
          rentalStart: '2026-03-10',
          rentalEnd: '2026-03-15',
          items: [line],
          holdExpiresAt: placed.data.holdExpiresAt,
          fulfilment: { method: 'pickup' },
          now,
        }),
      )
      .then([placed]));
  it('refuses a start in the past', () =>
    spec
      .given([])
      .when(
        cmd('PlaceOrder', {
          ...(placed.data as Omit<
            Extract<OrderEvent, { type: 'OrderPlaced' }>['data'],
            'rentalDays' | 'subtotal' | 'deposit' | 'placedAt'
          >),
          rentalStart: '2026-02-01',
          now,
        }),
      )
      .thenThrows('ORDER_INVALID'));
  it('refuses an end before the start', () =>
    spec
      .given([])
      .when(
        cmd('PlaceOrder', {
          ...(placed.data as Omit<
            Extract<OrderEvent, { type: 'OrderPlaced' }>['data'],
            'rentalDays' | 'subtotal' | 'deposit' | 'placedAt'
          >),
          rentalEnd: '2026-03-09',
          now,
        }),
      )
      .thenThrows('ORDER_INVALID'));
  it('refuses an order without items', () =>
    spec
      .given([])
      .when(
        cmd('PlaceOrder', {
          ...(placed.data as Omit<
            Extract<OrderEvent, { type: 'OrderPlaced' }>['data'],
            'rentalDays' | 'subtotal' | 'deposit' | 'placedAt'
          >),
          items: [],
          now,
        }),
      )
      .thenThrows('ORDER_INVALID'));
  it('refuses to place twice', () =>
    spec
      .given([placed])
      .when(
        cmd('PlaceOrder', {
          ...(placed.data as Omit<
            Extract<OrderEvent, { type: 'OrderPlaced' }>['data'],
            'rentalDays' | 'subtotal' | 'deposit' | 'placedAt'
          >),
          now,
        }),
      )
      .thenThrows('ORDER_ALREADY_PLACED'));

  it('confirms once the deposit is authorized', () =>
    spec
      .given([placed, payment('authorized', 10000, 0, 0, 1)])
      .when(cmd('ConfirmOrder', { now }))
      .then([confirmed]));
  it('refuses to confirm without the deposit', () =>
    spec
      .given([placed, payment('authorized', 9999, 0, 0, 1)])
      .when(cmd('ConfirmOrder', { now }))
      .thenThrows('DEPOSIT_NOT_COVERED'));
  it('does not count a failed payment', () =>
    spec
      .given([placed, payment('failed', 0, 0, 0, 1)])
      .when(cmd('ConfirmOrder', { now }))
      .thenThrows('DEPOSIT_NOT_COVERED'));
  it('refuses to confirm after the hold ran out', () =>
    spec
      .given([placed, payment('authorized', 10000, 0, 0, 1)])
      .when(cmd('ConfirmOrder', { now: '2026-03-01T11:00:00.000Z' }))
      .thenThrows('ORDER_HOLD_EXPIRED'));
  it('confirming twice changes nothing', () =>
    spec
      .given([placed, payment('authorized', 10000, 0, 0, 1), confirmed])
      .when(cmd('ConfirmOrder', { now }))
      .then([]));
  it('refuses to confirm a cancelled order', () =>
    spec
      .given([
        placed,
        {
          type: 'OrderCancelled',
          data: {
            orderId: 'o1',
            customerId: 'c1',
            reason: 'x',
            cancellationFee: eur(0),
            items: refs,
            cancelledAt: now,
          },
        },
      ])
      .when(cmd('ConfirmOrder', { now }))
      .thenThrows('ORDER_NOT_CONFIRMABLE'));

  it('extends and re-prices', () =>
    spec
      .given([placed])
      .when(cmd('ExtendOrder', { rentalEnd: '2026-03-17', now }))
      .then([
        {
          type: 'OrderExtended',
          data: {
            orderId: 'o1',
            previousRentalEnd: '2026-03-15',
            rentalEnd: '2026-03-17',
            rentalDays: 7,
            items: [{ ...line, lineTotal: eur(14000) }],
            subtotal: eur(14000),
            extendedAt: now,
          },
        },
      ]));
  it('refuses to shorten through extend', () =>
    spec
      .given([placed])
      .when(cmd('ExtendOrder', { rentalEnd: '2026-03-12', now }))
      .thenThrows('ORDER_INVALID'));

  const policy = { freeHours: 48, feePercent: 50 };
  it('cancels free until 48 h before the start', () =>
    spec
      .given([placed])
      .when(cmd('CancelOrder', { reason: 'changed plans', policy, now }))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: 'o1',
            customerId: 'c1',
            reason: 'changed plans',
            cancellationFee: eur(0),
            items: refs,
            cancelledAt: now,
          },
        },
      ]));
  it('charges the fee inside 48 h', () =>
    spec
      .given([placed])
      .when(cmd('CancelOrder', { reason: 'late', policy, now: '2026-03-08T00:00:00.000Z' }))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: 'o1',
            customerId: 'c1',
            reason: 'late',
            cancellationFee: eur(5000),
            items: refs,
            cancelledAt: '2026-03-08T00:00:00.000Z',
          },
        },
      ]));
  it('refuses to cancel a picked-up order', () =>
    spec
      .given([placed, confirmed, pickedUp])
      .when(cmd('CancelOrder', { reason: 'x', policy, now }))
      .thenThrows('ORDER_NOT_CANCELLABLE'));

  it('expires a reserved order whose hold ran out', () =>
    spec
      .given([placed])
      .when(cmd('ExpireOrder', { now: '2026-03-01T10:30:00.000Z' }))
      .then([
        {
          type: 'OrderExpired',
          data: { orderId: 'o1', customerId: 'c1', items: refs, expiredAt: '2026-03-01T10:30:00.000Z' },
        },
      ]));
  it('refuses to expire before the hold runs out', () =>
    spec.given([placed]).when(cmd('ExpireOrder', { now })).thenThrows('ORDER_NOT_EXPIRABLE'));
  it('refuses to expire a confirmed order', () =>
    spec
      .given([placed, confirmed])
      .when(cmd('ExpireOrder', { now: '2026-03-02T00:00:00.000Z' }))
      .thenThrows('ORDER_NOT_EXPIRABLE'));

  it('picks up a confirmed order only', () => {
    spec.given([placed, confirmed]).when(cmd('PickUpOrder', { now })).then([pickedUp]);
    spec.given([placed]).when(cmd('PickUpOrder', { now })).thenThrows('ORDER_NOT_PICKABLE');
  });

  it('returns late with a late fee and damages', () =>
    spec
      .given([placed, confirmed, pickedUp])
      .when(lateReturn('2026-03-17', [{ productId: 'p1', description: 'torn', charge: eur(2500) }]))
      .then([
        {
          type: 'OrderReturned',
          data: {
            orderId: 'o1',
            customerId: 'c1',
            returnedOn: '2026-03-17',
            lateDays: 2,
            lateFee: eur(6000),
            damages: [{ productId: 'p1', description: 'torn', charge: eur(2500) }],
            damageCharges: eur(2500),
            items: refs,
            returnedAt: '2026-03-20T10:00:00.000Z',
          },
        },
      ]));
  it('refuses damage to a product not in the order', () =>
    spec
      .given([placed, confirmed, pickedUp])
      .when(lateReturn('2026-03-15', [{ productId: 'p9', description: 'x', charge: eur(1) }]))
      .thenThrows('ORDER_INVALID'));
  it('refuses a return date in the future', () =>
    spec
      .given([placed, confirmed, pickedUp])
      .when({
        ...lateReturn('2026-03-17'),
        data: { ...(lateReturn('2026-03-17').data as object), now },
      } as OrderCommand)
      .thenThrows('ORDER_INVALID'));
  it('refuses to return an order not picked up', () =>
    spec.given([placed, confirmed]).when(lateReturn('2026-03-15')).thenThrows('ORDER_NOT_RETURNABLE'));

  it('closes only with a zero balance', () => {
    const back: OrderEvent = {
      type: 'OrderReturned',
      data: {
        orderId: 'o1',
        customerId: 'c1',
        returnedOn: '2026-03-15',
        lateDays: 0,
        lateFee: eur(0),
        damages: [],
        damageCharges: eur(0),
        items: refs,
        returnedAt: now,
      },
    };
    spec
      .given([placed, payment('captured', 10000, 5000, 0, 1), confirmed, pickedUp, back])
      .when(cmd('CloseOrder', { now }))
      .thenThrows('BALANCE_OPEN');
    // rental paid; the deposit refunded: settled
    const settled: OrderEvent[] = [
      placed,
      payment('partially_refunded', 20000, 20000, 10000, 2),
      confirmed,
      pickedUp,
      back,
    ];
    expect(orderTotals(returned(settled)).balance.amount).toBe(0);
    spec
      .given(settled)
      .when(cmd('CloseOrder', { now }))
      .then([{ type: 'OrderClosed', data: { orderId: 'o1', customerId: 'c1', closedAt: now } }]);
    spec.given([placed, confirmed]).when(cmd('CloseOrder', { now })).thenThrows('ORDER_NOT_CLOSABLE');
  });

  it('records payment updates once, ignoring redeliveries and stale ones', () => {
    spec
      .given([placed])
      .when(cmd('RecordPayment', recordOf(payment('authorized', 10000, 0, 0, 1))))
      .then([payment('authorized', 10000, 0, 0, 1)]);
    spec
      .given([placed, payment('captured', 10000, 10000, 0, 2)])
      .when(cmd('RecordPayment', recordOf(payment('authorized', 10000, 0, 0, 1))))
      .then([]);
  });

  describe('AcceptPayment (a new payment for the order)', () => {
    const accept = (amount: number, paymentId = 'pay2') =>
      cmd('AcceptPayment', {
        paymentId,
        purpose: 'rental',
        amount: eur(amount),
        sourceEventId: 'e0',
        sourceRevision: 0,
      });
    const accepted = (amount: number, paymentId = 'pay2'): OrderEvent => ({
      type: 'OrderPaymentUpdated',
      data: {
        orderId: 'o1',
        paymentId,
        purpose: 'rental',
        status: 'pending',
        amount: eur(amount),
        authorized: eur(0),
        captured: eur(0),
        refunded: eur(0),
        sourceEventId: 'e0',
        sourceRevision: 0,
      },
    });
    // Placed: subtotal 10000 + deposit 10000 = 20000 open.
    it('accepts up to the open balance, as pending', () =>
      spec
        .given([placed])
        .when(accept(20000))
        .then([accepted(20000)]));
    it('refuses more than is open', () =>
      spec.given([placed]).when(accept(20001)).thenThrows('PAYMENT_EXCEEDS_BALANCE'));
    it('counts what pending, authorized and captured payments will bring, and not failed ones', () => {
      spec
        .given([placed, accepted(15000, 'pay1')])
        .when(accept(5001))
        .thenThrows('PAYMENT_EXCEEDS_BALANCE');
      spec
        .given([placed, payment('authorized', 15000, 0, 0, 1)])
        .when(accept(5000))
        .then([accepted(5000)]);
      spec
        .given([placed, payment('failed', 0, 0, 0, 1)])
        .when(accept(20000))
        .then([accepted(20000)]);
      spec
        .given([placed, payment('partially_refunded', 20000, 20000, 5000, 3)])
        .when(accept(5000))
        .then([accepted(5000)]);
    });
    it('changes nothing for a payment it accepted already', () =>
      spec
        .given([placed, accepted(100)])
        .when(accept(100))
        .then([]));
    it.each([
      [
        'closed',
        [
          placed,
          payment('captured', 20000, 20000, 10000, 2),
          confirmed,
          pickedUp,
          {
            type: 'OrderReturned',
            data: {
              orderId: 'o1',
              customerId: 'c1',
              returnedOn: '2026-03-15',
              lateDays: 0,
              lateFee: eur(0),
              damages: [],
              damageCharges: eur(0),
              items: refs,
              returnedAt: now,
            },
          } as OrderEvent,
          { type: 'OrderClosed', data: { orderId: 'o1', customerId: 'c1', closedAt: now } } as OrderEvent,
        ],
      ],
      [
        'cancelled',
        [
          placed,
          {
            type: 'OrderCancelled',
            data: {
              orderId: 'o1',
              customerId: 'c1',
              reason: 'x',
              cancellationFee: eur(0),
              items: refs,
              cancelledAt: now,
            },
          } as OrderEvent,
        ],
      ],
      [
        'expired',
        [
          placed,
          {
            type: 'OrderExpired',
            data: { orderId: 'o1', customerId: 'c1', items: refs, expiredAt: now },
          } as OrderEvent,
        ],
      ],
    ])('refuses any payment on a %s order', (_status, history) =>
      spec.given(history).when(accept(1)).thenThrows('ORDER_NOT_PAYABLE'),
    );
    it('takes no refunds once the order is closed', () => {
      const closed = returned([
        placed,
        { type: 'OrderClosed', data: { orderId: 'o1', customerId: 'c1', closedAt: now } },
      ]);
      expect(() => assertRefundable(closed)).toThrow(expect.objectContaining({ code: 'ORDER_NOT_REFUNDABLE' }));
      expect(() => assertRefundable(returned([placed, confirmed]))).not.toThrow();
    });
  });

  it('refuses commands on an order that does not exist', () =>
    spec.given([]).when(cmd('ConfirmOrder', { now })).thenThrows('ORDER_NOT_FOUND'));

  describe('damage photos', () => {
    const photo = { photoId: 'ph1', contentType: 'image/jpeg', size: 1234, caption: 'Dent', now };
    const added: OrderEvent = {
      type: 'DamagePhotoAdded',
      data: {
        orderId: 'o1',
        customerId: 'c1',
        photoId: 'ph1',
        contentType: 'image/jpeg',
        size: 1234,
        caption: 'Dent',
        addedAt: now,
      },
    };
    it('adds a photo while the goods are out', () =>
      spec.given([placed, confirmed, pickedUp]).when(cmd('AddDamagePhoto', photo)).then([added]));
    it('adds the same photo once', () =>
      spec.given([placed, confirmed, pickedUp, added]).when(cmd('AddDamagePhoto', photo)).then([]));
    it('refuses photos before the goods are out', () =>
      spec.given([placed, confirmed]).when(cmd('AddDamagePhoto', photo)).thenThrows('ORDER_NOT_PHOTOGRAPHABLE'));
    it('lets a damage name a photo of the order, and refuses one it does not have', () => {
      const damage = { productId: 'p1', description: 'Dent', charge: eur(500) };
      const events = spec.given([placed, confirmed, pickedUp, added]);
      const ok = decideOrder(
        lateReturn('2026-03-15', [{ ...damage, photoIds: ['ph1'] } as never]),
        returned([placed, confirmed, pickedUp, added]),
      );
      expect((ok[0].data as { damages: unknown[] }).damages).toEqual([{ ...damage, photoIds: ['ph1'] }]);
      return events
        .when(lateReturn('2026-03-15', [{ ...damage, photoIds: ['ph1', 'ph2'] } as never]))
        .thenThrows('DAMAGE_PHOTO_UNKNOWN');
    });
  });
});
