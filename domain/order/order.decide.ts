import { dateOf, daysBetween, rentalDays } from '../shared/date-range.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { assertPrice, type Money } from '../shared/money.js';
import type { OrderCommand } from './order.commands.js';
import { OrderErrors } from './order.errors.js';
import type { LineRef, OrderEvent, OrderLine } from './order.events.js';
import { orderTotals } from './order.money.js';
import type { OrderFacts, OrderState, OrderStatus } from './order.state.js';

export const MAX_RENTAL_DAYS = 366;

type Cmd<T extends OrderCommand['type']> = Extract<OrderCommand, { type: T }>['data'];

export function decideOrder(command: OrderCommand, state: OrderState): OrderEvent[] {
  if (command.type === 'PlaceOrder') return place(command.data, state);
  if (state.status === 'none') throw new DomainError(OrderErrors.notFound, 'No such order');
  switch (command.type) {
    case 'ConfirmOrder':
      return confirm(command.data, state);
    case 'ExtendOrder':
      return extend(command.data, state);
    case 'CancelOrder':
      return cancel(command.data, state);
    case 'ExpireOrder':
      return expire(command.data, state);
    case 'PickUpOrder':
      require(state, ['confirmed'], OrderErrors.notPickable, 'picked up');
      return [
        {
          type: 'OrderPickedUp',
          data: {
            orderId: state.orderId,
            customerId: state.customerId,
            items: refs(state.items),
            pickedUpAt: command.data.now,
          },
        },
      ];
    case 'ReturnOrder':
      return giveBack(command.data, state);
    case 'CloseOrder':
      return close(command.data, state);
    case 'AddDamagePhoto':
      return addPhoto(command.data, state);
    case 'AcceptPayment':
      return acceptPayment(command.data, state);
    case 'RecordPayment':
      return recordPayment(command.data, state);
    default:
      return assertNever(command, 'order command');
  }
}

const refs = (items: OrderLine[]): LineRef[] => items.map(({ productId, quantity }) => ({ productId, quantity }));
const sum = (values: Money[], currency: string): Money => ({
  amount: values.reduce((s, v) => s + v.amount, 0),
  currency,
});
const invalid = (detail: string, field: string) =>
  new DomainError(OrderErrors.invalid, detail, [{ field, message: detail }]);

function require(state: OrderFacts, allowed: OrderStatus[], code: string, verb: string): void {
  if (!allowed.includes(state.status))
    throw new DomainError(code, `A ${state.status.replace('_', ' ')} order cannot be ${verb}`);
}

function place(data: Cmd<'PlaceOrder'>, state: OrderState): OrderEvent[] {
  if (state.status !== 'none') throw new DomainError(OrderErrors.alreadyPlaced, `Order ${data.orderId} exists already`);
  if (data.items.length === 0) throw invalid('An order needs at least one item', 'items');
  if (data.rentalStart < dateOf(data.now)) throw invalid('rentalStart is in the past', 'rentalStart');
  if (data.rentalEnd < data.rentalStart) throw invalid('rentalEnd is before rentalStart', 'rentalEnd');
  const days = rentalDays(data.rentalStart, data.rentalEnd);
  if (days > MAX_RENTAL_DAYS) throw invalid(`A rental lasts at most ${MAX_RENTAL_DAYS} days`, 'rentalEnd');
  const currency = data.items[0].dailyRate.currency;
  const deposit = sum(
    data.items.map((l) => ({ amount: l.unitDeposit.amount * l.quantity, currency })),
    currency,
  );
  const { now, ...rest } = data;
  return [
    {
      type: 'OrderPlaced',
      data: {
        ...rest,
        rentalDays: days,
        subtotal: sum(
          data.items.map((l) => l.lineTotal),
          currency,
        ),
        deposit,
        placedAt: now,
      },
    },
  ];
}

function confirm(data: Cmd<'ConfirmOrder'>, state: OrderFacts): OrderEvent[] {
  if (state.status === 'confirmed') return [];
  require(state, ['reserved'], OrderErrors.notConfirmable, 'confirmed');
  if (data.now >= state.holdExpiresAt)
    throw new DomainError(OrderErrors.holdExpired, `The hold ran out at ${state.holdExpiresAt}`);
  const { secured } = orderTotals(state);
  if (secured.amount < state.deposit.amount) {
    throw new DomainError(
      OrderErrors.depositNotCovered,
      `The deposit of ${state.deposit.amount} needs authorized or captured payments; ${secured.amount} so far`,
    );
  }
  return [
    {
      type: 'OrderConfirmed',
      data: { orderId: state.orderId, customerId: state.customerId, items: refs(state.items), confirmedAt: data.now },
    },
  ];
}

function extend(data: Cmd<'ExtendOrder'>, state: OrderFacts): OrderEvent[] {
  require(state, ['reserved', 'confirmed', 'picked_up'], OrderErrors.notExtendable, 'extended');
  if (data.rentalEnd <= state.rentalEnd) throw invalid('The new rentalEnd must be after the current one', 'rentalEnd');
  const days = rentalDays(state.rentalStart, data.rentalEnd);
  if (days > MAX_RENTAL_DAYS) throw invalid(`A rental lasts at most ${MAX_RENTAL_DAYS} days`, 'rentalEnd');
  const items = state.items.map((l) => ({
    ...l,
    lineTotal: { amount: l.dailyRate.amount * days * l.quantity, currency: l.dailyRate.currency },
  }));
  return [
    {
      type: 'OrderExtended',
      data: {
        orderId: state.orderId,
        previousRentalEnd: state.rentalEnd,
        rentalEnd: data.rentalEnd,
        rentalDays: days,
        items,
        subtotal: sum(
          items.map((l) => l.lineTotal),
          state.subtotal.currency,
        ),
        extendedAt: data.now,
      },
    },
  ];
}

function cancel(data: Cmd<'CancelOrder'>, state: OrderFacts): OrderEvent[] {
  require(state, ['reserved', 'confirmed'], OrderErrors.notCancellable, 'cancelled');
  const freeUntil = Date.parse(`${state.rentalStart}T00:00:00.000Z`) - data.policy.freeHours * 3_600_000;
  const charged = Date.parse(data.now) >= freeUntil;
  const fee = charged ? Math.round((state.subtotal.amount * data.policy.feePercent) / 100) : 0;
  return [
    {
      type: 'OrderCancelled',
      data: {
        orderId: state.orderId,
        customerId: state.customerId,
        reason: data.reason,
        cancellationFee: { amount: fee, currency: state.subtotal.currency },
        items: refs(state.items),
        cancelledAt: data.now,
      },
    },
  ];
}

function expire(data: Cmd<'ExpireOrder'>, state: OrderFacts): OrderEvent[] {
  if (state.status === 'expired') return [];
  require(state, ['reserved'], OrderErrors.notExpirable, 'expired');
  if (data.now < state.holdExpiresAt)
    throw new DomainError(OrderErrors.notExpirable, `The hold runs until ${state.holdExpiresAt}`);
  return [
    {
      type: 'OrderExpired',
      data: { orderId: state.orderId, customerId: state.customerId, items: refs(state.items), expiredAt: data.now },
    },
  ];
}

function giveBack(data: Cmd<'ReturnOrder'>, state: OrderFacts): OrderEvent[] {
  require(state, ['picked_up'], OrderErrors.notReturnable, 'returned');
  if (data.returnedOn < state.rentalStart) throw invalid('returnedOn is before the rental started', 'returnedOn');
  if (data.returnedOn > dateOf(data.now)) throw invalid('returnedOn is in the future', 'returnedOn');
  const currency = state.subtotal.currency;
  data.damages.forEach((d, i) => {
    if (!state.items.some((l) => l.productId === d.productId))
      throw invalid(`Product ${d.productId} is not part of this order`, `damages.${i}.productId`);
    assertPrice(d.charge, currency, `damages.${i}.charge`);
    (d.photoIds ?? []).forEach((photoId, j) => {
      if (!(state.photoIds ?? []).includes(photoId))
        throw new DomainError(OrderErrors.damagePhotoUnknown, `No damage photo ${photoId} was added to this order`, [
          { field: `damages.${i}.photoIds.${j}`, message: 'not a photo of this order' },
        ]);
    });
  });
  const lateDays = Math.max(0, daysBetween(state.rentalEnd, data.returnedOn) - data.policy.graceDays);
  const perDay = state.items.reduce((s, l) => s + l.dailyRate.amount * l.quantity, 0);
  const lateFee = { amount: Math.round((perDay * lateDays * data.policy.feePercent) / 100), currency };
  return [
    {
      type: 'OrderReturned',
      data: {
        orderId: state.orderId,
        customerId: state.customerId,
        returnedOn: data.returnedOn,
        lateDays,
        lateFee,
        damages: data.damages,
        damageCharges: sum(
          data.damages.map((d) => d.charge),
          currency,
        ),
        items: refs(state.items),
        returnedAt: data.now,
      },
    },
  ];
}

/** Photos are taken of goods that came back: while the order is out (before the return) or returned. */
function addPhoto(data: Cmd<'AddDamagePhoto'>, state: OrderFacts): OrderEvent[] {
  if ((state.photoIds ?? []).includes(data.photoId)) return [];
  require(state, ['picked_up', 'returned'], OrderErrors.notPhotographable, 'given damage photos');
  const { now, ...photo } = data;
  return [
    {
      type: 'DamagePhotoAdded',
      data: { orderId: state.orderId, customerId: state.customerId, ...photo, addedAt: now },
    },
  ];
}

function close(data: Cmd<'CloseOrder'>, state: OrderFacts): OrderEvent[] {
  if (state.status === 'closed') return [];
  require(state, ['returned'], OrderErrors.notClosable, 'closed');
  const { balance } = orderTotals(state);
  if (balance.amount !== 0)
    throw new DomainError(
      OrderErrors.balanceOpen,
      `The balance is ${balance.amount} ${balance.currency}; settle it first`,
      [{ field: 'balance', message: String(balance.amount) }],
    );
  return [{ type: 'OrderClosed', data: { orderId: state.orderId, customerId: state.customerId, closedAt: data.now } }];
}

/** Orders that take no more payments: settled, or ended without the units going out. */
const TAKES_NO_PAYMENTS: OrderStatus[] = ['closed', 'cancelled', 'expired'];

function acceptPayment(data: Cmd<'AcceptPayment'>, state: OrderFacts): OrderEvent[] {
  if (state.payments[data.paymentId]) return []; // accepted already (a retried request)
  if (TAKES_NO_PAYMENTS.includes(state.status))
    throw new DomainError(OrderErrors.notPayable, `A ${state.status} order takes no payments`);
  const { open } = orderTotals(state);
  if (data.amount.amount > open.amount) {
    throw new DomainError(
      OrderErrors.paymentExceedsBalance,
      `${data.amount.amount} is more than the ${open.amount} still open on this order`,
      [{ field: 'amount', message: `at most ${open.amount}` }],
    );
  }
  const zero = { amount: 0, currency: data.amount.currency };
  return [
    {
      type: 'OrderPaymentUpdated',
      data: { orderId: state.orderId, ...data, status: 'pending', authorized: zero, captured: zero, refunded: zero },
    },
  ];
}

/** A refund moves money back on an order that is not settled yet; a closed order is settled. */
export function assertRefundable(state: OrderState): void {
  if (state.status === 'closed')
    throw new DomainError(OrderErrors.notRefundable, 'A closed order is settled; it takes no refunds');
}

function recordPayment(data: Cmd<'RecordPayment'>, state: OrderFacts): OrderEvent[] {
  const known = state.payments[data.paymentId];
  if (known && known.sourceRevision >= data.sourceRevision) return []; // redelivered or out of date
  return [{ type: 'OrderPaymentUpdated', data: { orderId: state.orderId, ...data } }];
}
