import { addDays } from '../shared/date-range.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { availabilityByDay } from './availability.js';
import { blocks } from './booking.events.js';
import type { BookingCommand, ConfirmHold, ExtendBooking, HoldUnits, ReleaseUnits } from './product.commands.js';
import { ProductErrors } from './product.errors.js';
import type { ProductEvent } from './product.events.js';
import type { ProductFacts, ProductState } from './product.state.js';

type Active = { status: 'active' } & ProductFacts;

export function decideBooking(command: BookingCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'HoldUnits':
      return hold(command, state);
    case 'ConfirmHold':
      return confirm(command, state);
    case 'ExtendBooking':
      return extend(command, state);
    case 'ReleaseUnits':
      return release(command, state);
    default:
      return assertNever(command, 'booking command');
  }
}

/** Per-day shortfalls of `quantity` more units over `from`..`to`, ignoring the order's own booking. */
function shortfalls(product: ProductFacts, orderId: string, quantity: number, from: string, to: string, now: string) {
  const others = Object.entries(product.bookings)
    .filter(([id]) => id !== orderId)
    .map(([, b]) => b);
  return availabilityByDay(product.stock, others, from, to, now)
    .filter((day) => day.stock - day.reserved < quantity)
    .map((day) => ({
      productId: product.productId,
      date: day.date,
      requested: quantity,
      available: Math.max(0, day.stock - day.reserved),
    }));
}

function unavailable(productId: string, errors: Array<Record<string, unknown>>): DomainError {
  return new DomainError(
    ProductErrors.unitsUnavailable,
    `Not enough units of product ${productId} on ${errors.length} day(s)`,
    errors,
  );
}

function hold({ data }: HoldUnits, state: ProductState): ProductEvent[] {
  const product = requireBookable(state);
  const existing = product.bookings[data.orderId];
  if (existing) return []; // the same order holding again (a retried placement) changes nothing
  if (!Number.isSafeInteger(data.quantity) || data.quantity < 1) {
    throw new DomainError(ProductErrors.invalid, 'quantity must be a positive integer', [
      { field: 'quantity', message: 'must be >= 1' },
    ]);
  }
  const missing = shortfalls(product, data.orderId, data.quantity, data.from, data.to, data.now);
  if (missing.length > 0) throw unavailable(product.productId, missing);
  const { now, ...booking } = data;
  return [{ type: 'UnitsHeld', data: { productId: product.productId, ...booking, heldAt: now } }];
}

function confirm({ data }: ConfirmHold, state: ProductState): ProductEvent[] {
  const product = requireRegistered(state);
  const booking = product.bookings[data.orderId];
  if (!booking)
    throw new DomainError(
      ProductErrors.holdNotFound,
      `Order ${data.orderId} holds no units of product ${product.productId}`,
    );
  if (booking.status === 'confirmed') return [];
  if (!blocks(booking, data.now))
    throw new DomainError(
      ProductErrors.holdExpired,
      `The hold of order ${data.orderId} on product ${product.productId} has expired`,
    );
  return [
    { type: 'HoldConfirmed', data: { productId: product.productId, orderId: data.orderId, confirmedAt: data.now } },
  ];
}

function extend({ data }: ExtendBooking, state: ProductState): ProductEvent[] {
  const product = requireRegistered(state);
  const booking = product.bookings[data.orderId];
  if (!booking || !blocks(booking, data.now))
    throw new DomainError(
      ProductErrors.holdNotFound,
      `Order ${data.orderId} holds no units of product ${product.productId}`,
    );
  if (data.to === booking.to) return [];
  if (data.to > booking.to) {
    const missing = shortfalls(product, data.orderId, booking.quantity, addDays(booking.to, 1), data.to, data.now);
    if (missing.length > 0) throw unavailable(product.productId, missing);
  } // a shorter booking (an extension of several products undone) frees days and needs no check
  return [
    {
      type: 'BookingExtended',
      data: {
        productId: product.productId,
        orderId: data.orderId,
        quantity: booking.quantity,
        previousTo: booking.to,
        to: data.to,
        extendedAt: data.now,
      },
    },
  ];
}

function release({ data }: ReleaseUnits, state: ProductState): ProductEvent[] {
  if (state.status === 'unregistered' || !state.bookings[data.orderId]) return []; // nothing held: releasing again is harmless
  return [
    {
      type: 'UnitsReleased',
      data: { productId: state.productId, orderId: data.orderId, reason: data.reason, releasedAt: data.now },
    },
  ];
}

function requireRegistered(state: ProductState): Exclude<ProductState, { status: 'unregistered' }> {
  if (state.status === 'unregistered') throw new DomainError(ProductErrors.notFound, 'No such product');
  return state;
}

function requireBookable(state: ProductState): Active {
  const product = requireRegistered(state);
  if (product.status === 'retired')
    throw new DomainError(ProductErrors.retired, `Product ${product.productId} is retired`);
  return product;
}
