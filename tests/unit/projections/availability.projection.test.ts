import { productDecider } from '../../../domain/product/product.decider.js';
import type { ProductEvent } from '../../../domain/product/product.events.js';
import { availabilityProjection, type AvailabilityDoc } from '../../../projections/product/availability.projection.js';
import { recorded, registered } from '../../support/fixtures.js';

const at = '2026-01-01T00:00:00.000Z';
const held = (orderId: string, from: string, to: string): ProductEvent => ({
  type: 'UnitsHeld',
  data: { productId: 'p1', orderId, quantity: 1, from, to, holdExpiresAt: '2026-01-01T00:30:00.000Z', heldAt: at },
});
const history: ProductEvent[] = [
  registered('p1'),
  held('o1', '2026-02-01', '2026-02-03'),
  held('o2', '2026-02-02', '2026-02-04'),
  { type: 'HoldConfirmed', data: { productId: 'p1', orderId: 'o1', confirmedAt: at } },
  {
    type: 'BookingExtended',
    data: { productId: 'p1', orderId: 'o1', quantity: 1, previousTo: '2026-02-03', to: '2026-02-05', extendedAt: at },
  },
  { type: 'ProductStockAdjusted', data: { productId: 'p1', delta: 1, stock: 3, reason: 'bought one', adjustedAt: at } },
  { type: 'UnitsReleased', data: { productId: 'p1', orderId: 'o2', reason: 'cancelled', releasedAt: at } },
  {
    type: 'ProductRepriced',
    data: {
      productId: 'p1',
      dailyRate: { amount: 1, currency: 'EUR' },
      deposit: { amount: 1, currency: 'EUR' },
      previousDailyRate: { amount: 1000, currency: 'EUR' },
      previousDeposit: { amount: 3000, currency: 'EUR' },
      repricedAt: at,
    },
  },
  { type: 'ProductRetired', data: { productId: 'p1', retiredAt: at } },
];
const events = history.map((event, i) => recorded(event, BigInt(i + 1), BigInt(i), at));
const apply = (doc: AvailabilityDoc | null, event: (typeof events)[number]) =>
  availabilityProjection.apply(doc, event, 'p1');

describe('availability projection', () => {
  it('keeps the bookings the product decider decides on, folded with its own evolve', () => {
    const doc = events.reduce<AvailabilityDoc | null>(apply, null)!;
    const state = events.reduce((s, e) => productDecider.evolve(s, e), productDecider.initialState());
    const { _id, revision, ...facts } = doc;
    expect(facts).toEqual(state);
    expect(doc.bookings).toEqual({
      o1: {
        quantity: 1,
        from: '2026-02-01',
        to: '2026-02-05',
        status: 'confirmed',
        holdExpiresAt: '2026-01-01T00:30:00.000Z',
      },
    });
    expect(revision).toBe(String(events.length - 1));
  });

  it.each(events.map((event, i) => [event.type, i] as const))('applying %s twice changes nothing', (_type, i) => {
    const before = events.slice(0, i).reduce<AvailabilityDoc | null>(apply, null);
    const once = apply(before, events[i]);
    expect(apply(once, events[i])).toEqual(once);
  });

  it("keeps a booking whatever the event's wall-clock time: it never reads a clock (the query's dates decide)", () => {
    const later = recorded<ProductEvent>(
      {
        type: 'ProductStockAdjusted',
        data: { productId: 'p1', delta: 1, stock: 4, reason: 'r', adjustedAt: '2026-03-01T00:00:00.000Z' },
      },
      99n,
      99n,
      '2026-03-01T00:00:00.000Z',
    );
    const doc = apply(events.reduce<AvailabilityDoc | null>(apply, null), later)!;
    expect(Object.keys(doc.bookings)).toEqual(['o1']);
  });
});
