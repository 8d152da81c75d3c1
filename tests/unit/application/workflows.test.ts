import { orderPaymentsWorkflow } from '../../../application/order/order-payments.workflow.js';
import { RecordOrderPaymentCommand } from '../../../application/order/record-order-payment.command.js';
import { releaseUnitsWorkflow } from '../../../application/order/release-units.workflow.js';
import { ReleaseUnitsCommand } from '../../../application/product/release-units.command.js';
import type { OrderEvent } from '../../../domain/order/order.events.js';
import type { PaymentEvent } from '../../../domain/payment/payment.events.js';
import { eur, recorded } from '../../support/fixtures.js';
import { workflowSpec } from '../../support/workflow-spec.js';

const at = '2026-01-01T00:00:00.000Z';
const ids = { paymentId: 'pay1', orderId: 'ord1' };
const requested = recorded<PaymentEvent>(
  {
    type: 'PaymentRequested',
    data: {
      ...ids,
      customerId: 'c1',
      amount: eur(5000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
      requestedAt: at,
    },
  },
  10n,
  0n,
);
const authorized = recorded<PaymentEvent>(
  { type: 'PaymentAuthorized', data: { ...ids, amount: eur(5000), providerRef: 'ref', authorizedAt: at } },
  12n,
  1n,
);
const captured = recorded<PaymentEvent>(
  { type: 'PaymentCaptured', data: { ...ids, amount: eur(3000), captured: eur(3000), capturedAt: at } },
  15n,
  2n,
);
const ctxOf = (event: { id: string; metadata: { correlationId: string } }) => ({
  actor: { userId: 'system', role: 'system' },
  correlationId: event.metadata.correlationId,
  causationId: event.id,
});
const payment = {
  ...ids,
  customerId: 'c1',
  amount: eur(5000),
  purpose: 'deposit' as const,
  paymentMethod: 'pm_card_ok',
  providerRef: null,
  authorized: eur(0),
  captured: eur(0),
  refunded: eur(0),
};

describe('the order-payments workflow', () => {
  const spec = workflowSpec(orderPaymentsWorkflow);
  it('brings a new payment onto its order, as pending', () =>
    spec
      .given([])
      .when(requested)
      .then([
        new RecordOrderPaymentCommand(
          { ...payment, status: 'pending' },
          { eventId: requested.id, revision: 0n },
          ctxOf(requested),
        ),
      ]));
  it("brings the payment's state after each event, folded with the payment decider's evolve", () => {
    spec
      .given([requested])
      .when(authorized)
      .then([
        new RecordOrderPaymentCommand(
          { ...payment, status: 'authorized', providerRef: 'ref', authorized: eur(5000) },
          { eventId: authorized.id, revision: 1n },
          ctxOf(authorized),
        ),
      ]);
    spec
      .given([requested, authorized])
      .when(captured)
      .then([
        new RecordOrderPaymentCommand(
          { ...payment, status: 'captured', providerRef: 'ref', authorized: eur(5000), captured: eur(3000) },
          { eventId: captured.id, revision: 2n },
          ctxOf(captured),
        ),
      ]);
  });
  it('gives nothing for a payment it never saw requested', () => spec.given([]).when(authorized).then([]));
  it('reads its inputs from the domain list of payment events, keyed by payment', () => {
    expect([...orderPaymentsWorkflow.inputs]).toEqual([
      'PaymentRequested',
      'PaymentAuthorized',
      'PaymentFailed',
      'PaymentCaptured',
      'PaymentRefunded',
    ]);
    expect(orderPaymentsWorkflow.instanceOf(captured)).toBe('pay1');
  });
});

describe('the release-units workflow', () => {
  const spec = workflowSpec(releaseUnitsWorkflow);
  const items = [
    { productId: 'p1', quantity: 1 },
    { productId: 'p2', quantity: 2 },
  ];
  it.each([
    [
      'OrderCancelled',
      { orderId: 'ord1', customerId: 'c1', reason: 'x', cancellationFee: eur(0), items, cancelledAt: at },
      'cancelled',
    ],
    ['OrderExpired', { orderId: 'ord1', customerId: 'c1', items, expiredAt: at }, 'expired'],
    [
      'OrderReturned',
      {
        orderId: 'ord1',
        customerId: 'c1',
        returnedOn: '2026-01-02',
        lateDays: 0,
        lateFee: eur(0),
        damages: [],
        damageCharges: eur(0),
        items,
        returnedAt: at,
      },
      'returned',
    ],
  ] as const)('releases the units of every line after %s', (type, data, reason) => {
    const event = recorded({ type, data } as Extract<OrderEvent, { type: typeof type }>, 20n, 3n);
    spec
      .given([])
      .when(event)
      .then([new ReleaseUnitsCommand(data, reason, ctxOf(event))]);
  });
});
