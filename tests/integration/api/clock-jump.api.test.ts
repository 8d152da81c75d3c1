import { eur } from '../../support/fixtures.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';

const clock = new TestClock('2030-01-01T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ HOLD_TTL_SECONDS: String(40 * 86400) }, { clock });
  s = shop(t);
});
afterAll(() => t.close());

describe('the server clock jumps forward, then back', () => {
  it('the availability read model and the write side still agree: the unit is taken', async () => {
    const productId = await s.product({ stock: 1 });
    const customerId = await s.customer();
    const booking = {
      customerId,
      rentalStart: '2030-01-10',
      rentalEnd: '2030-01-12',
      items: [{ productId, quantity: 1 }],
    };
    expect((await s.post('/v1/orders', booking)).statusCode).toBe(201);

    clock.set('2030-01-20T09:00:00.000Z'); // a wrong clock, ahead of the booking's end
    const repriced = await s.post(`/v1/products/${productId}/reprice`, { dailyRate: eur(1200), deposit: eur(5000) });
    expect(repriced.statusCode).toBe(200);
    clock.set('2030-01-01T10:00:00.000Z'); // put right again

    const res = await s.get(`/v1/products/${productId}/availability?from=2030-01-10&to=2030-01-12`, {
      ...s.staff(),
      'x-min-position': repriced.json().position,
    });
    expect(res.statusCode).toBe(200);
    const days = res.json().days as Array<{ reserved: number; available: number }>;
    expect(days.map((d) => [d.reserved, d.available])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    const refused = await s.post('/v1/orders', booking);
    expect(refused.statusCode).toBe(409);
  });

  it('a snapshot the product took while the clock was ahead still holds the booking the clock passed', async () => {
    clock.set('2030-01-01T09:00:00.000Z');
    const productId = await s.product({ stock: 1 });
    const customerId = await s.customer();
    const booking = {
      customerId,
      rentalStart: '2030-01-10',
      rentalEnd: '2030-01-12',
      items: [{ productId, quantity: 1 }],
    };
    expect((await s.post('/v1/orders', booking)).statusCode).toBe(201);

    clock.set('2030-01-20T09:00:00.000Z'); // ahead of the booking's end: a snapshot is due within these
    for (let i = 0; i < 60; i++) {
      const adjusted = await s.post(`/v1/products/${productId}/stock`, {
        delta: i % 2 === 0 ? 1 : -1,
        reason: 'count',
      });
      expect(adjusted.statusCode).toBe(200);
    }
    const snapshots = (await t.infra.events.readStream(`productsnapshot-${productId}`)).length;
    expect(snapshots).toBeGreaterThan(0);
    clock.set('2030-01-01T10:00:00.000Z');

    const refused = await s.post('/v1/orders', booking);
    expect(refused.statusCode).toBe(409);
  });
});
