import { DomainError, assertNever } from '../shared/domain-error.js';
import { assertPrice, equals } from '../shared/money.js';
import type {
  AdjustStock,
  ProductCommand,
  RegisterProduct,
  RepriceProduct,
  RetireProduct,
} from './product.commands.js';
import { dateOf } from '../shared/date-range.js';
import { peakReservedFrom } from './availability.js';
import { decideBooking } from './booking.decide.js';
import { ProductErrors } from './product.errors.js';
import type { ProductEvent } from './product.events.js';
import type { ProductState } from './product.state.js';

export const MAX_BUFFER_DAYS = 30;

export function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'RegisterProduct':
      return register(command, state);
    case 'RepriceProduct':
      return reprice(command, state);
    case 'AdjustStock':
      return adjustStock(command, state);
    case 'RetireProduct':
      return retire(command, state);
    case 'HoldUnits':
    case 'ConfirmHold':
    case 'ExtendBooking':
    case 'ReleaseUnits':
      return decideBooking(command, state);
    default:
      return assertNever(command, 'product command');
  }
}

function register({ data }: RegisterProduct, state: ProductState): ProductEvent[] {
  if (state.status !== 'unregistered')
    throw new DomainError(ProductErrors.alreadyRegistered, `Product ${data.productId} is already registered`);
  assertPrice(data.dailyRate, data.currency, 'dailyRate');
  assertPrice(data.deposit, data.currency, 'deposit');
  const problems: Array<Record<string, unknown>> = [];
  if (!Number.isSafeInteger(data.stock) || data.stock < 0)
    problems.push({ field: 'stock', message: 'must be a non-negative integer' });
  if (!Number.isSafeInteger(data.bufferDays) || data.bufferDays < 0 || data.bufferDays > MAX_BUFFER_DAYS) {
    problems.push({ field: 'bufferDays', message: `must be an integer from 0 to ${MAX_BUFFER_DAYS}` });
  }
  if (data.sku.trim() === '') problems.push({ field: 'sku', message: 'must not be blank' });
  if (data.name.trim() === '') problems.push({ field: 'name', message: 'must not be blank' });
  if (problems.length > 0) throw new DomainError(ProductErrors.invalid, 'The product is not valid', problems);
  const { currency: _c, now, ...facts } = data;
  return [
    {
      type: 'ProductRegistered',
      data: { ...facts, sku: facts.sku.trim(), name: facts.name.trim(), registeredAt: now },
    },
  ];
}

function reprice({ data }: RepriceProduct, state: ProductState): ProductEvent[] {
  const product = requireActive(state);
  assertPrice(data.dailyRate, data.currency, 'dailyRate');
  if (data.deposit) assertPrice(data.deposit, data.currency, 'deposit');
  const deposit = data.deposit ?? product.deposit;
  if (equals(data.dailyRate, product.dailyRate) && equals(deposit, product.deposit)) return [];
  return [
    {
      type: 'ProductRepriced',
      data: {
        productId: product.productId,
        dailyRate: data.dailyRate,
        deposit,
        previousDailyRate: product.dailyRate,
        previousDeposit: product.deposit,
        repricedAt: data.now,
      },
    },
  ];
}

function adjustStock({ data }: AdjustStock, state: ProductState): ProductEvent[] {
  const product = requireActive(state);
  if (!Number.isSafeInteger(data.delta) || data.delta === 0) {
    throw new DomainError(ProductErrors.invalid, 'delta must be a non-zero integer', [
      { field: 'delta', message: 'must be a non-zero integer' },
    ]);
  }
  const stock = product.stock + data.delta;
  const booked = peakReservedFrom(Object.values(product.bookings), dateOf(data.now), data.now);
  if (stock >= 0 && stock < booked) {
    throw new DomainError(
      ProductErrors.stockBelowBookings,
      `Stock would drop to ${stock}, but ${booked} units are booked on a coming day`,
      [{ field: 'delta', message: `at least ${booked - product.stock}` }],
    );
  }
  if (stock < 0) {
    throw new DomainError(ProductErrors.stockBelowZero, `Stock would drop to ${stock}; it holds ${product.stock}`, [
      { field: 'delta', message: `at least ${-product.stock}` },
    ]);
  }
  return [
    {
      type: 'ProductStockAdjusted',
      data: { productId: product.productId, delta: data.delta, stock, reason: data.reason, adjustedAt: data.now },
    },
  ];
}

function retire({ data }: RetireProduct, state: ProductState): ProductEvent[] {
  if (state.status === 'retired') return [];
  const product = requireActive(state);
  return [{ type: 'ProductRetired', data: { productId: product.productId, retiredAt: data.now } }];
}

function requireActive(state: ProductState): Extract<ProductState, { status: 'active' }> {
  if (state.status === 'unregistered') throw new DomainError(ProductErrors.notFound, 'No such product');
  if (state.status === 'retired') throw new DomainError(ProductErrors.retired, `Product ${state.productId} is retired`);
  return state;
}
