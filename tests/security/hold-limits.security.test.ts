import { shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

// Abuse limits on self-service orders: a customer acting for itself holds at most 2 orders and
// 3 units at once and rents for at most 10 days here; staff ordering for it are exempt.
const clock = new TestClock('2030-03-01T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp(
    {
      CUSTOMER_MAX_ACTIVE_HOLDS: '2',
      CUSTOMER_MAX_HELD_UNITS: '3',
      CUSTOMER_MAX_RENTAL_DAYS: '10',
      HOLD_TTL_SECONDS: '600',
    },
    { clock },
  );
  s = shop(t);
});
afterAll(() => t.close());

const order = (productId: string, quantity = 1, rentalStart = '2030-03-10', rentalEnd = '2030-03-12') => ({
  rentalStart,
  rentalEnd,
  items: [{ productId, quantity }],
});

async function customerSession() {
  const customerId = await s.customer();
  return { customerId, headers: t.authAs(['customer'], { userId: `user-of-${customerId}`, customerId }) };
}

describe('abuse limits on holds', () => {
  it('refuses a third held order (409 HOLD_LIMIT_REACHED) and changes nothing; an expired one no longer counts', async () => {
    const productId = await s.product({ stock: 50 });
    const { headers } = await customerSession();
    const first = await s.post('/v1/orders', order(productId), headers);
    const second = await s.post('/v1/orders', order(productId), headers);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const third = await s.post('/v1/orders', order(productId), headers);
    expect(third.statusCode).toBe(409);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(third.json()).toMatchObject({
      code: 'HOLD_LIMIT_REACHED',
      status: 409,
      errors: [{ field: 'orders', held: 2 }],
    });
    const days = (await s.get(`/v1/products/${productId}/availability?from=2030-03-10&to=2030-03-10`)).json().days;
    expect(days[0].reserved).toBe(2); // the refused order held nothing

    // Once the holds run out, the customer may hold again.
    clock.advance(601_000);
    const later = await s.post('/v1/orders', order(productId), headers);
    expect(later.statusCode).toBe(201);
  });

  it('counts units across held orders, and concurrent placements cannot pass the limit', async () => {
    const productId = await s.product({ stock: 50 });
    const { headers } = await customerSession();
    expect((await s.post('/v1/orders', order(productId, 2), headers)).statusCode).toBe(201);
    const tooMany = await s.post('/v1/orders', order(productId, 2), headers);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({
      code: 'HOLD_LIMIT_REACHED',
      errors: [{ field: 'items', held: 2, asked: 2 }],
    });

    const other = await customerSession();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => s.post('/v1/orders', order(productId, 1), other.headers)),
    );
    const codes = burst.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
  });

  it('refuses a rental longer than the customer maximum, placing or extending (400 RENTAL_TOO_LONG)', async () => {
    const productId = await s.product({ stock: 5 });
    const { headers } = await customerSession();
    const long = await s.post('/v1/orders', order(productId, 1, '2030-04-01', '2030-04-12'), headers);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'RENTAL_TOO_LONG', errors: [{ field: 'rentalEnd' }] });

    const placed = await s.post('/v1/orders', order(productId, 1, '2030-04-01', '2030-04-11'), headers);
    expect(placed.statusCode).toBe(201); // exactly 10 days
    const { orderId } = placed.json();
    const extend = await s.post(`/v1/orders/${orderId}/extend`, { rentalEnd: '2030-04-13' }, headers);
    expect(extend.statusCode).toBe(400);
    expect(extend.json().code).toBe('RENTAL_TOO_LONG');
  });

  it('exempts staff ordering for a customer', async () => {
    const productId = await s.product({ stock: 50 });
    const { customerId, headers } = await customerSession();
    await s.post('/v1/orders', order(productId), headers);
    await s.post('/v1/orders', order(productId), headers);
    const byStaff = await Promise.all([
      s.post('/v1/orders', { customerId, ...order(productId, 5, '2030-05-01', '2030-07-01') }),
      s.post('/v1/orders', { customerId, ...order(productId, 5) }),
    ]);
    expect(byStaff.map((r) => r.statusCode)).toEqual([201, 201]);
  });
});
