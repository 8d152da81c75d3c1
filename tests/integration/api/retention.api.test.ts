/**
 * Retention: with RETENTION_ERASE_AFTER_DAYS, the worker's `erase-inactive-customers` job erases the
 * customers with no order placed for that long (counted from registration when they never ordered),
 * and leaves the others whole.
 */
import { EraseInactiveCustomersJob } from '../../../application/privacy/erase-inactive-customers.job.js';
import { shop } from '../../support/shop.js';
import { TestClock } from '../../support/test-clock.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const DAY = 86_400_000;

describe('retention (RETENTION_ERASE_AFTER_DAYS)', () => {
  let t: TestApp;
  const clock = new TestClock('2026-01-01T09:00:00.000Z');
  afterAll(() => t?.close());

  it('erases customers with no order for that many days, and no one else', async () => {
    t = await startTestApp({ RETENTION_ERASE_AFTER_DAYS: '30' }, { clock });
    const s = shop(t);
    const product = await s.product({ stock: 3 });
    const idle = await s.customer('Idle Customer');
    const ordered = await s.customer('Old Customer');
    clock.advance(20 * DAY);
    const res = await s.post('/v1/orders', {
      customerId: ordered,
      rentalStart: '2026-01-22',
      rentalEnd: '2026-01-23',
      items: [{ productId: product, quantity: 1 }],
    });
    expect(res.statusCode).toBe(201);
    clock.advance(15 * DAY); // the idle one registered 35 days ago; the other ordered 15 days ago
    const fresh = await s.customer('New Customer');
    const job = t.app.get(EraseInactiveCustomersJob);
    const head = String(await t.infra.events.headPosition());
    await s.get(`/v1/customers/${fresh}`, { ...s.staff(), 'x-min-position': head });
    expect(await job.run()).toEqual({ erased: 1, checked: 2 });
    const after = String(await t.infra.events.headPosition());
    const read = (id: string) => s.get(`/v1/customers/${id}`, { ...s.staff(), 'x-min-position': after });
    expect((await read(idle)).json()).toMatchObject({ customerId: idle, erased: true });
    expect((await read(ordered)).json()).toMatchObject({ name: 'Old Customer' });
    expect((await read(fresh)).json()).toMatchObject({ name: 'New Customer' });
    expect(await job.run()).toEqual({ erased: 0, checked: 1 }); // the erased one is not looked at again
  });

  it('does nothing when retention is off (the default)', async () => {
    const off = await startTestApp({}, { clock: new TestClock('2030-01-01T00:00:00.000Z') });
    try {
      await shop(off).customer('Anyone');
      expect(await off.app.get(EraseInactiveCustomersJob).run()).toEqual({ erased: 0, checked: 0 });
    } finally {
      await off.close();
    }
  });
});
