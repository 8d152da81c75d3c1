import { decideProduct } from '../../../domain/product/product.decide.js';
import type { ProductCommand } from '../../../domain/product/product.commands.js';
import type { ProductEvent } from '../../../domain/product/product.events.js';
import { evolveProduct, initialProductState, pruneProductState } from '../../../domain/product/product.state.js';
import { rentalDays, addDays, eachDay, isIsoDate } from '../../../domain/shared/date-range.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { eur } from '../../support/fixtures.js';

const spec = deciderSpec({ decide: decideProduct, evolve: evolveProduct, initialState: initialProductState });
const now = '2026-03-01T10:00:00.000Z';
const later = '2026-03-01T11:00:00.000Z';
const registered: ProductEvent = {
  type: 'ProductRegistered',
  data: {
    productId: 'p1',
    sku: 'T',
    name: 'Tent',
    category: 'events',
    dailyRate: eur(1000),
    deposit: eur(0),
    stock: 2,
    bufferDays: 1,
    registeredAt: now,
  },
};
const held = (
  orderId: string,
  quantity: number,
  from = '2026-03-10',
  to = '2026-03-12',
  holdExpiresAt = '2026-03-01T10:30:00.000Z',
): ProductEvent => ({
  type: 'UnitsHeld',
  data: { productId: 'p1', orderId, quantity, from, to, holdExpiresAt, heldAt: now },
});
const hold = (orderId: string, quantity: number, from = '2026-03-10', to = '2026-03-12', at = now): ProductCommand => ({
  type: 'HoldUnits',
  data: { orderId, quantity, from, to, holdExpiresAt: '2026-03-01T10:30:00.000Z', now: at },
});

describe('bookings on the product stream', () => {
  it('holds free units', () =>
    spec
      .given([registered])
      .when(hold('o1', 2))
      .then([held('o1', 2)]));
  it('refuses units that are not free, with per-day shortfalls', () => {
    let thrown: unknown;
    try {
      decideProduct(
        hold('o2', 1, '2026-03-12', '2026-03-13'),
        [registered, held('o1', 2)].reduce(evolveProduct, initialProductState()),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'UNITS_UNAVAILABLE',
      errors: [{ productId: 'p1', date: '2026-03-12', requested: 1, available: 0 }],
    });
  });
  it('lets an expired hold block nothing', () =>
    spec
      .given([registered, held('o1', 2)])
      .when(hold('o2', 2, '2026-03-10', '2026-03-12', later))
      .then([{ ...held('o2', 2), data: { ...(held('o2', 2).data as object), heldAt: later } } as ProductEvent]));
  it('is idempotent for an order that holds already', () =>
    spec
      .given([registered, held('o1', 1)])
      .when(hold('o1', 1))
      .then([]));
  it('refuses a retired product', () =>
    spec
      .given([registered, { type: 'ProductRetired', data: { productId: 'p1', retiredAt: now } }])
      .when(hold('o1', 1))
      .thenThrows('PRODUCT_RETIRED'));
  it('refuses an unknown product', () => spec.given([]).when(hold('o1', 1)).thenThrows('PRODUCT_NOT_FOUND'));
  it('refuses a zero quantity', () => spec.given([registered]).when(hold('o1', 0)).thenThrows('PRODUCT_INVALID'));

  it('confirms a live hold', () =>
    spec
      .given([registered, held('o1', 1)])
      .when({ type: 'ConfirmHold', data: { orderId: 'o1', now } })
      .then([{ type: 'HoldConfirmed', data: { productId: 'p1', orderId: 'o1', confirmedAt: now } }]));
  it('refuses to confirm an expired hold', () =>
    spec
      .given([registered, held('o1', 1)])
      .when({ type: 'ConfirmHold', data: { orderId: 'o1', now: later } })
      .thenThrows('HOLD_EXPIRED'));
  it('refuses to confirm a hold it does not have', () =>
    spec
      .given([registered])
      .when({ type: 'ConfirmHold', data: { orderId: 'o1', now } })
      .thenThrows('HOLD_NOT_FOUND'));
  it('keeps a confirmed booking past the hold expiry', () =>
    spec
      .given([
        registered,
        held('o1', 2),
        { type: 'HoldConfirmed', data: { productId: 'p1', orderId: 'o1', confirmedAt: now } },
      ])
      .when(hold('o2', 1, '2026-03-11', '2026-03-11', later))
      .thenThrows('UNITS_UNAVAILABLE'));

  it('extends a booking when the added days are free', () =>
    spec
      .given([registered, held('o1', 1)])
      .when({ type: 'ExtendBooking', data: { orderId: 'o1', to: '2026-03-14', now } })
      .then([
        {
          type: 'BookingExtended',
          data: {
            productId: 'p1',
            orderId: 'o1',
            quantity: 1,
            previousTo: '2026-03-12',
            to: '2026-03-14',
            extendedAt: now,
          },
        },
      ]));
  it('refuses an extension over days that are taken', () =>
    spec
      .given([
        registered,
        held('o1', 1),
        held('o2', 1, '2026-03-13', '2026-03-13'),
        held('o3', 1, '2026-03-13', '2026-03-13'),
      ])
      .when({ type: 'ExtendBooking', data: { orderId: 'o1', to: '2026-03-14', now } })
      .thenThrows('UNITS_UNAVAILABLE'));

  it('releases a booking, and releasing again changes nothing', () => {
    const released: ProductEvent = {
      type: 'UnitsReleased',
      data: { productId: 'p1', orderId: 'o1', reason: 'cancelled', releasedAt: now },
    };
    spec
      .given([registered, held('o1', 2)])
      .when({ type: 'ReleaseUnits', data: { orderId: 'o1', reason: 'cancelled', now } })
      .then([released]);
    spec
      .given([registered, held('o1', 2), released])
      .when({ type: 'ReleaseUnits', data: { orderId: 'o1', reason: 'cancelled', now } })
      .then([]);
    spec
      .given([registered, held('o1', 2), released])
      .when(hold('o2', 2))
      .then([held('o2', 2)]);
  });

  it('refuses a stock cut below the units booked on a coming day', () =>
    spec
      .given([registered, held('o1', 2)])
      .when({ type: 'AdjustStock', data: { delta: -1, reason: 'broken', now } })
      .thenThrows('STOCK_BELOW_BOOKINGS'));
  it('allows a stock cut when only past bookings remain', () =>
    spec
      .given([registered, held('o1', 2, '2026-02-01', '2026-02-03')])
      .when({ type: 'AdjustStock', data: { delta: -1, reason: 'broken', now } })
      .then([
        {
          type: 'ProductStockAdjusted',
          data: { productId: 'p1', delta: -1, stock: 1, reason: 'broken', adjustedAt: now },
        },
      ]));

  it('prunes bookings that ended more than a month before today (for snapshots: a clock that ran ahead loses nothing)', () => {
    const state = [
      registered,
      held('o1', 1, '2026-02-01', '2026-02-03'),
      held('o2', 1),
      held('o3', 1, '2026-02-01', '2026-02-05'),
    ].reduce(evolveProduct, initialProductState());
    const kept = (today: string) => {
      const pruned = pruneProductState(state, today);
      return pruned.status === 'active' && Object.keys(pruned.bookings);
    };
    expect(kept('2026-03-01')).toEqual(['o1', 'o2', 'o3']);
    expect(kept('2026-03-08')).toEqual(['o2', 'o3']); // o1 ended 33 days before, o3 31
    expect(kept('2026-03-09')).toEqual(['o2']);
  });
});

describe('dates', () => {
  it('charges end minus start, at least one day', () => {
    expect(rentalDays('2025-08-15', '2025-08-20')).toBe(5);
    expect(rentalDays('2025-08-15', '2025-08-15')).toBe(1);
  });
  it('walks calendar days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(eachDay('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });
});
