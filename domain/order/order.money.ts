import type { Money } from '../shared/money.js';
import type { OrderFacts } from './order.state.js';

export interface OrderTotals {
  fees: Money;
  total: Money;
  paid: Money;
  balance: Money;
  /** Authorized or captured and not refunded: what covers the deposit before confirmation. */
  secured: Money;
  /** What a new payment may still take: the total less what every payment that has not failed will bring. */
  open: Money;
}

const SECURED = new Set(['authorized', 'captured', 'partially_refunded']);

type PaymentFigures = { status: string; amount?: Money; authorized: Money; captured: Money; refunded: Money };

/** What a payment will bring: what was asked while pending, what may still be captured while authorized, what stayed captured after refunds. */
function expected(p: PaymentFigures): number {
  switch (p.status) {
    case 'failed':
      return 0;
    case 'pending':
      return p.amount?.amount ?? 0;
    case 'authorized':
    case 'captured':
      return Math.max(p.authorized.amount, p.captured.amount) - p.refunded.amount;
    default:
      return p.captured.amount - p.refunded.amount;
  }
}

/**
 * What the customer owes and has paid. The deposit is due while the units are out or promised;
 * once the order is returned, cancelled or expired it is owed back, so the balance then goes below
 * zero until it is refunded. A cancelled or expired order owes only its cancellation fee.
 * Balance zero means settled both ways.
 */
export function orderTotals(
  order: Pick<OrderFacts, 'status' | 'subtotal' | 'deposit' | 'lateFee' | 'damageCharges' | 'cancellationFee'> & {
    payments: Record<string, PaymentFigures>;
  },
): OrderTotals {
  const currency = order.subtotal.currency;
  const m = (amount: number): Money => ({ amount, currency });
  const fees = order.lateFee.amount + order.damageCharges.amount + order.cancellationFee.amount;
  const ended = order.status === 'cancelled' || order.status === 'expired';
  const depositDue = ['reserved', 'confirmed', 'picked_up'].includes(order.status) ? order.deposit.amount : 0;
  const total = ended ? order.cancellationFee.amount : order.subtotal.amount + fees + depositDue;
  const payments = Object.values(order.payments);
  const paid = payments.reduce((sum, p) => sum + p.captured.amount - p.refunded.amount, 0);
  const secured = payments
    .filter((p) => SECURED.has(p.status))
    .reduce((sum, p) => sum + Math.max(p.authorized.amount, p.captured.amount) - p.refunded.amount, 0);
  const committed = payments.reduce((sum, p) => sum + expected(p), 0);
  return {
    fees: m(fees),
    total: m(total),
    paid: m(paid),
    balance: m(total - paid),
    secured: m(secured),
    open: m(Math.max(0, total - committed)),
  };
}
