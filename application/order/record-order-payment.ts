import { orderDecider } from '../../domain/order/order.decider.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import type { OrderEvent } from '../../domain/order/order.events.js';
import type { OrderState } from '../../domain/order/order.state.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import type { Payment } from '../../domain/payment/payment.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { CommandContext } from '../shared/command-context.js';
import type { CommandPath, Handled, Loaded } from '../shared/command-path.js';

/** The payment event a recording reflects: a redelivered or older one changes nothing on the order. */
export interface PaymentSource {
  eventId: string;
  revision: bigint;
}

export interface RecordedOnOrder {
  order: Handled<OrderState, OrderEvent>;
  /** Set when the order refused a new payment: the payment was failed with this reason. */
  refused?: DomainError;
}

const mustExist = (state: OrderState): void => {
  if (state.status === 'none')
    throw new DomainError(OrderErrors.notFound, 'The payment names an order that does not exist');
};

/**
 * Brings a payment's state onto its order, where confirming and closing decide on it. A payment the
 * order has not seen yet is accepted first (the order refuses one when it is settled or ended, or
 * when it would take more than is open); a refused payment is failed on its own stream. The payment
 * handlers call this at once, and the order-payments workflow again from the log (mending a crash in
 * between); recording the same payment event twice changes nothing.
 */
export async function recordOrderPayment(
  path: CommandPath,
  payment: Payment,
  source: PaymentSource,
  ctx: CommandContext,
  options: { now: string; loaded?: Loaded<OrderState> },
): Promise<RecordedOnOrder> {
  const { paymentId, purpose, amount, status, authorized, captured, refunded } = payment;
  const sourceRevision = Number(source.revision);
  try {
    const order = await path.handle(
      orderDecider,
      payment.orderId,
      (state) =>
        state.status !== 'none' && !state.payments[paymentId] && status === 'pending'
          ? {
              type: 'AcceptPayment' as const,
              data: { paymentId, purpose, amount, sourceEventId: source.eventId, sourceRevision },
            }
          : {
              type: 'RecordPayment' as const,
              data: {
                paymentId,
                purpose,
                status,
                amount,
                authorized,
                captured,
                refunded,
                sourceEventId: source.eventId,
                sourceRevision,
              },
            },
      ctx,
      { loaded: options.loaded, guard: mustExist },
    );
    return { order };
  } catch (error) {
    if (
      !(error instanceof DomainError) ||
      (error.code !== OrderErrors.notPayable && error.code !== OrderErrors.paymentExceedsBalance)
    )
      throw error;
    await path.handle(
      paymentDecider,
      paymentId,
      { type: 'RecordFailure', data: { reason: `refused by the order: ${error.code}`, now: options.now } },
      ctx,
    );
    return { order: { ...(await path.load(orderDecider, payment.orderId)), events: [], eventIds: [] }, refused: error };
  }
}
