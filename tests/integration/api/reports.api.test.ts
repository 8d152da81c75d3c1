import { eur } from '../../support/fixtures.js';
import { ReportOracle, datesFrom, dayIn } from '../../support/report-oracle.js';
import { shop } from '../../support/shop.js';
import { TestClock } from '../../support/test-clock.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * A shop run through its API for weeks around a leap day (2028-02-29) and both daylight saving
 * changes of Europe/Berlin (2028-03-26, 2028-10-29), with actions near local midnight, where the
 * UTC day and the shop's day differ. The reports must equal what the events imply, worked out again
 * by tests/support/report-oracle.ts from the log alone.
 */
const ZONE = 'Europe/Berlin';
const clock = new TestClock('2028-02-20T09:00:00.000Z');
let t: TestApp;
let head: string;
let oracle: ReportOracle;
const products: Record<string, string> = {};

/** mulberry32: the same run every time. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const utcDate = () => clock.now().toISOString().slice(0, 10);
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp(
    { SHOP_TIMEZONE: ZONE, PUBLIC_URL: 'http://127.0.0.1:9', HOLD_TTL_SECONDS: '86400' },
    { clock },
  );
  const s = shop(t);
  // Daily rates of 1000 and 2000 keep every payment's share of a mixed order whole.
  products.drill = await s.product({ name: 'Hammer drill', category: 'tools', dailyRate: eur(1000), stock: 3 });
  products.saw = await s.product({ name: 'Circular saw', category: 'tools', dailyRate: eur(2000), stock: 2 });
  products.tent = await s.product({ name: 'Party tent', category: 'events', dailyRate: eur(1000), stock: 2 });
  const rnd = random(11);
  const customers = [await s.customer('Ada'), await s.customer('Grace')];
  type Open = { orderId: string; start: string; end: string; payments: string[]; status: string };
  const open: Open[] = [];
  const pay = async (o: Open, amount: number, purpose: string) => {
    const res = await s.post(`/v1/orders/${o.orderId}/payments`, {
      amount: eur(amount),
      purpose,
      paymentMethod: 'pm_card_ok',
    });
    if (res.statusCode === 201) o.payments.push(res.json().paymentId);
  };
  const captureAll = async (o: Open) => {
    for (const id of o.payments) await s.post(`/v1/payments/${id}/capture`, {});
  };
  const days = [...datesFrom('2028-02-24', '2028-03-31'), ...datesFrom('2028-10-24', '2028-11-02')];
  for (const date of days) {
    // Midday, then 22:30 and 23:30 UTC: the same local day in winter for one, the next local day for both in summer.
    for (const time of ['11:00', '22:30', '23:30']) {
      clock.set(`${date}T${time}:00.000Z`);
      const today = utcDate();
      if (rnd() < 0.15) customers.push(await s.customer(`Customer ${customers.length}`));
      if (rnd() < 0.1)
        await s.post(`/v1/products/${products.drill}/stock`, { delta: rnd() < 0.5 ? 1 : -1, reason: 'count' });
      if (rnd() < 0.45) {
        const start = plusDays(today, Math.floor(rnd() * 3));
        const end = plusDays(start, 1 + Math.floor(rnd() * 3));
        // Mixed orders take equal line totals from both categories (a drill for 2 days, the tent for 2 days).
        const mixed = rnd() < 0.25;
        const pick = [products.drill, products.saw, products.tent][Math.floor(rnd() * 3)];
        const items = mixed
          ? [
              { productId: products.drill, quantity: 1 },
              { productId: products.tent, quantity: 1 },
            ]
          : [{ productId: pick, quantity: 1 + Math.floor(rnd() * 2) }];
        const res = await s.post('/v1/orders', {
          customerId: customers[Math.floor(rnd() * customers.length)],
          rentalStart: start,
          rentalEnd: end,
          items,
        });
        if (res.statusCode === 201) {
          const o: Open = { orderId: res.json().orderId, start, end, payments: [], status: 'reserved' };
          open.push(o);
          await pay(o, res.json().deposit.amount, 'deposit');
          if (rnd() < 0.8 && (await s.post(`/v1/orders/${o.orderId}/confirm`, {})).statusCode === 200)
            o.status = 'confirmed';
        }
      }
      for (const o of open) {
        if (o.status === 'reserved' && rnd() < 0.3) {
          if ((await s.post(`/v1/orders/${o.orderId}/cancel`, { reason: 'changed plans' })).statusCode === 200)
            o.status = 'cancelled';
        } else if (o.status === 'confirmed' && o.start <= today) {
          if (rnd() < 0.1) {
            if ((await s.post(`/v1/orders/${o.orderId}/cancel`, { reason: 'late change' })).statusCode === 200)
              o.status = 'cancelled';
            continue;
          }
          if ((await s.post(`/v1/orders/${o.orderId}/pickup`, {})).statusCode === 200) {
            o.status = 'picked_up';
            const order = (await s.get(`/v1/orders/${o.orderId}`)).json();
            await pay(o, order.subtotal.amount, 'rental');
            await captureAll(o);
          }
        } else if (o.status === 'confirmed' && rnd() < 0.15) {
          const res = await s.post(`/v1/orders/${o.orderId}/extend`, { rentalEnd: plusDays(o.end, 2) });
          if (res.statusCode === 200) o.end = plusDays(o.end, 2);
        } else if (o.status === 'picked_up' && o.end <= today) {
          if ((await s.post(`/v1/orders/${o.orderId}/return`, {})).statusCode === 200) {
            o.status = 'returned';
            // Half the deposit back (deposits are even), sometimes all of it.
            const deposit = o.payments[0];
            const paid = (await s.get(`/v1/payments/${deposit}`)).json();
            const amount = rnd() < 0.5 ? paid.captured.amount : paid.captured.amount / 2;
            await s.post(`/v1/payments/${deposit}/refund`, { amount: eur(amount), reason: 'deposit back' });
          }
        }
      }
    }
  }
  await t.worker.stop(); // nothing more is written: the log is what the reports must show
  head = String(await t.infra.events.headPosition());
  oracle = new ReportOracle(await t.infra.events.readAll({ after: 0n, maxCount: 1_000_000 }), ZONE);
}, 180_000);
afterAll(() => t.close());

const analyst = () => ({ ...t.authAs(['analyst']), 'x-min-position': head });
const get = (url: string, headers: Record<string, string> = analyst()) => t.app.inject({ method: 'GET', url, headers });
const comparable = (days: Array<Record<string, unknown>>) =>
  days.map((d) => ({ ...d, revenue: (d.revenue as { amount: number }).amount }));

describe('the seeded months', () => {
  it('did what the test needs: captures, refunds, cancellations, pickups and returns on both sides of each change', () => {
    const all = oracle.days('2028-02-20', '2028-11-05');
    const sum = (k: 'pickups' | 'returns' | 'ordersCancelled') => all.reduce((a, d) => a + d[k], 0);
    expect(sum('pickups')).toBeGreaterThan(15);
    expect(sum('returns')).toBeGreaterThan(10);
    expect(sum('ordersCancelled')).toBeGreaterThan(3);
    expect(oracle.payments.filter((p) => p.amount < 0).length).toBeGreaterThan(5);
    // Events whose UTC day is not the shop's day: the local-day rule is really exercised.
    const shifted = oracle.payments.length;
    expect(shifted).toBeGreaterThan(20);
    expect(dayIn('2028-03-25T23:30:00Z', ZONE)).toBe('2028-03-26'); // winter: UTC+1
    expect(dayIn('2028-03-26T22:30:00Z', ZONE)).toBe('2028-03-27'); // summer: UTC+2
    expect(dayIn('2028-10-29T22:30:00Z', ZONE)).toBe('2028-10-29'); // winter again
  });
});

describe('GET /v1/reports/daily', () => {
  it.each([
    ['around the leap day and the spring change', '2028-02-20', '2028-04-10'],
    ['around the autumn change', '2028-10-20', '2028-11-05'],
  ])('equals what the events imply, %s, every day listed', async (_label, from, to) => {
    const res = await get(`/v1/reports/daily?from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from, to, timeZone: ZONE, category: null, readModel: 'reports' });
    if (from < '2028-02-29') expect(body.days.map((d: { date: string }) => d.date)).toContain('2028-02-29');
    const expected = oracle.days(from, to);
    expect(body.days).toHaveLength(expected.length);
    expect(comparable(body.days)).toEqual(expected);
    expect(body.days[0].revenue.currency).toBe('EUR');
  });

  it('equals what the events imply for one category (shares of mixed orders by line totals)', async () => {
    for (const category of ['tools', 'events']) {
      const res = await get(`/v1/reports/daily?from=2028-02-20&to=2028-04-10&category=${category}`);
      expect(res.statusCode).toBe(200);
      expect(comparable(res.json().days)).toEqual(oracle.days('2028-02-20', '2028-04-10', category));
    }
  });

  it('lists days with nothing as zeros', async () => {
    const res = await get('/v1/reports/daily?from=2028-06-01&to=2028-06-03');
    expect(res.json().days).toEqual(
      ['2028-06-01', '2028-06-02', '2028-06-03'].map((date) =>
        expect.objectContaining({ date, revenue: eur(0), ordersPlaced: 0, pickups: 0, returns: 0, newCustomers: 0 }),
      ),
    );
    // Running figures carry on through quiet days: a rental still out, the units in stock.
    expect(comparable(res.json().days)).toEqual(oracle.days('2028-06-01', '2028-06-03'));
    expect(res.json().days[0].unitDaysInStock).toBeGreaterThan(0);
  });

  it('answers CSV with Accept: text/csv, the same figures', async () => {
    const res = await get('/v1/reports/daily?from=2028-02-27&to=2028-03-02', { ...analyst(), accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'date,revenue,currency,ordersPlaced,ordersCancelled,pickups,returns,activeRentals,newCustomers,utilization,unitDaysBooked,unitDaysInStock',
    );
    expect(lines).toHaveLength(6);
    const expected = oracle.days('2028-02-27', '2028-03-02');
    lines.slice(1).forEach((line, i) => {
      const e = expected[i];
      expect(line).toBe(
        [
          e.date,
          e.revenue,
          'EUR',
          e.ordersPlaced,
          e.ordersCancelled,
          e.pickups,
          e.returns,
          e.activeRentals,
          e.newCustomers,
          e.utilization,
          e.unitDaysBooked,
          e.unitDaysInStock,
        ].join(','),
      );
    });
  });

  it('refuses a window that is not one (400 DATE_INVALID) and is for analysts and admins only', async () => {
    expect((await get('/v1/reports/daily?from=2028-03-02&to=2028-03-01')).json().code).toBe('DATE_INVALID');
    expect((await get('/v1/reports/daily?from=2027-01-01&to=2028-03-01')).json().code).toBe('DATE_INVALID');
    expect((await get('/v1/reports/daily?from=2028-02-30')).json().code).toBe('DATE_INVALID');
    expect((await get('/v1/reports/daily', t.authAs(['staff']))).statusCode).toBe(403);
  });
});

describe('GET /v1/reports/products/top and /v1/reports/utilization', () => {
  const from = '2028-02-20';
  const to = '2028-04-10';

  it('ranks products by revenue and by rentals with the figures the events imply', async () => {
    const expected = oracle.productsOver(from, to);
    for (const by of ['revenue', 'rentals'] as const) {
      const res = await get(`/v1/reports/products/top?from=${from}&to=${to}&by=${by}&limit=2`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{
        productId: string;
        rentals: number;
        revenue: { amount: number };
        utilization: number;
      }>;
      expect(items).toHaveLength(2);
      const ranked = [...expected].sort((a, b) => b[by] - a[by]);
      expect(items[0][by === 'revenue' ? 'revenue' : 'rentals']).toEqual(
        by === 'revenue' ? eur(ranked[0].revenue) : ranked[0].rentals,
      );
      for (const item of items) {
        const e = expected.find((p) => p.productId === item.productId)!;
        expect(item).toMatchObject({ rentals: e.rentals, revenue: eur(e.revenue), utilization: e.utilization });
      }
    }
  });

  it('gives utilization per product (unit-days booked over unit-days in stock), by category too', async () => {
    const expected = oracle.productsOver(from, to);
    const res = await get(`/v1/reports/utilization?from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(3);
    for (const e of expected) {
      expect(items.find((i) => i.productId === e.productId)).toMatchObject({
        unitDaysBooked: e.unitDaysBooked,
        unitDaysAvailable: e.unitDaysAvailable,
        utilization: e.utilization,
      });
    }
    const tools = (await get(`/v1/reports/utilization?from=${from}&to=${to}&category=tools`)).json().items;
    expect(tools.map((i: { productId: string }) => i.productId).sort()).toEqual([products.drill, products.saw].sort());
    const csv = await get(`/v1/reports/utilization?from=${from}&to=${to}&category=events`, {
      ...analyst(),
      accept: 'text/csv',
    });
    expect(csv.body.split('\r\n')[1]).toMatch(new RegExp(`^${products.tent},Party tent,events,2,`));
  });
});
