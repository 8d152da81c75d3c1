import { eventually } from '../../support/eventually.js';
import { eur } from '../../support/fixtures.js';
import { ReportOracle } from '../../support/report-oracle.js';
import { shop } from '../../support/shop.js';
import { TestClock } from '../../support/test-clock.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * `POST /v1/projections/{name}/rebuild` with `atPosition`: the read model as it stood then, under its
 * own name, read side by side with the live one; the business metrics; and the dashboard's figures.
 */
const clock = new TestClock('2028-05-10T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
let tent: string;
let then: string;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9', HOLD_TTL_SECONDS: '86400' }, { clock });
  s = shop(t);
  tent = await s.product({ name: 'Party tent', category: 'events', dailyRate: eur(1000), deposit: eur(0), stock: 2 });
  const customer = await s.customer();
  // Two rentals: the first captured before `then`, the second (and a refund of the first) after it.
  const rent = async (start: string) => {
    const order = (
      await s.post('/v1/orders', {
        customerId: customer,
        rentalStart: start,
        rentalEnd: start,
        items: [{ productId: tent, quantity: 1 }],
      })
    ).json();
    const payment = (
      await s.post(`/v1/orders/${order.orderId}/payments`, {
        amount: eur(order.total.amount),
        purpose: 'rental',
        paymentMethod: 'pm_card_ok',
      })
    ).json();
    await s.post(`/v1/orders/${order.orderId}/confirm`, {});
    const captured = await s.post(`/v1/payments/${payment.paymentId}/capture`, {});
    return {
      orderId: order.orderId as string,
      paymentId: payment.paymentId as string,
      position: captured.json().position as string,
    };
  };
  const first = await rent('2028-05-10');
  then = first.position;
  clock.set('2028-05-11T09:00:00.000Z');
  const second = await rent('2028-05-11');
  await s.post(`/v1/orders/${second.orderId}/pickup`, {});
  await s.post(`/v1/payments/${first.paymentId}/refund`, { amount: eur(400), reason: 'goodwill' });
  await t.worker.stop(); // nothing more is written
}, 60_000);
afterAll(() => t.close());

const analyst = () => t.authAs(['analyst']);
const get = (url: string, headers: Record<string, string> = analyst()) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: unknown, headers: Record<string, string> = analyst()) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('a read model as it stood at a position', () => {
  it('is built under its own name, listed, and read side by side with the live one', async () => {
    const head = String(await t.infra.events.headPosition());
    const asked = await post('/v1/projections/reports/rebuild', { atPosition: then });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ name: `reports@${then}`, status: 'rebuild_requested', atPosition: then });
    await eventually(
      async () => (await get('/v1/projections')).json() as Array<{ name: string; status: string }>,
      (list) => list.some((p) => p.name === `reports@${then}` && p.status === 'ready'),
    );
    const window = 'from=2028-05-10&to=2028-05-11';
    const [past, live] = await Promise.all([
      get(`/v1/reports/daily?${window}&atPosition=${then}`),
      get(`/v1/reports/daily?${window}`, { ...analyst(), 'x-min-position': head }),
    ]);
    expect(past.json().readModel).toBe(`reports@${then}`);
    expect(live.json().readModel).toBe('reports');
    const events = await t.infra.events.readAll({ after: 0n, maxCount: 10_000 });
    const oracleThen = new ReportOracle(
      events.filter((e) => e.position <= BigInt(then)),
      'UTC',
    );
    const oracleNow = new ReportOracle(events, 'UTC');
    const revenue = (days: Array<{ revenue: { amount: number } }>) => days.map((d) => d.revenue.amount);
    expect(revenue(past.json().days)).toEqual(oracleThen.days('2028-05-10', '2028-05-11').map((d) => d.revenue));
    expect(revenue(live.json().days)).toEqual(oracleNow.days('2028-05-10', '2028-05-11').map((d) => d.revenue));
    expect(revenue(past.json().days)).not.toEqual(revenue(live.json().days));
    expect(past.json().days[1]).toMatchObject({ pickups: 0, activeRentals: 0 });
    expect(live.json().days[1]).toMatchObject({ pickups: 1, activeRentals: 1 });

    // The same read model, document by document.
    const doc = await get(`/v1/projections/reports@${then}/documents/totals`);
    expect(doc.json()).toMatchObject({ _id: 'totals', captured: 1000, refunded: 0 });
    expect((await get('/v1/projections/reports/documents/totals')).json()).toMatchObject({
      captured: 2000,
      refunded: 400,
    });
    const page = await get(`/v1/projections/reports@${then}/documents?limit=2`);
    expect(page.json().items).toHaveLength(2);
    expect(page.json().nextCursor).toEqual(expect.any(String));

    // Asked again: the same one, nothing rebuilt.
    expect((await post('/v1/projections/reports/rebuild', { atPosition: then })).json().name).toBe(`reports@${then}`);
  });

  it('refuses a position beyond the head, an unknown one, and personal data to analysts', async () => {
    const beyond = await post('/v1/projections/reports/rebuild', { atPosition: '999999' });
    expect({ status: beyond.statusCode, code: beyond.json().code }).toEqual({ status: 400, code: 'POSITION_INVALID' });
    const unknown = await get('/v1/reports/daily?atPosition=3');
    expect({ status: unknown.statusCode, code: unknown.json().code }).toEqual({
      status: 404,
      code: 'PROJECTION_NOT_FOUND',
    });
    expect((await get('/v1/projections/customers/documents')).statusCode).toBe(403);
    expect((await get('/v1/projections/customers/documents', t.authAs(['admin']))).statusCode).toBe(200);
    expect((await get('/v1/projections/reports/documents/nothing')).json().code).toBe('DOCUMENT_NOT_FOUND');
    expect((await post('/v1/projections/nope/rebuild', { atPosition: '1' })).json().code).toBe('PROJECTION_NOT_FOUND');
  });
});

describe("an analyst's own projection (the README's worked example)", () => {
  it('is replayed from position zero by the projector, and read through the documents route', async () => {
    const head = await t.infra.events.headPosition();
    await eventually(
      () => t.infra.store.getCheckpoint('weekday_demand'),
      (c) => c === head,
    );
    const res = await get('/v1/projections/weekday_demand/documents');
    expect(res.json().items).toEqual([
      expect.objectContaining({ _id: 'Thursday', orders: 1, units: 1 }), // 2028-05-11
      expect.objectContaining({ _id: 'Wednesday', orders: 1, units: 1 }), // 2028-05-10
    ]);
    // Rebuilt from position zero on request: the same documents.
    await post('/v1/projections/weekday_demand/rebuild', {});
    await eventually(
      async () =>
        ((await get('/v1/projections')).json() as Array<{ name: string; status: string; rebuild?: unknown }>).find(
          (p) => p.name === 'weekday_demand',
        ),
      (p) => p?.status === 'running' && !p.rebuild,
    );
    expect((await get('/v1/projections/weekday_demand/documents')).json().items).toEqual(res.json().items);
  });
});

describe('business metrics on /metrics', () => {
  it('shows orders by status, rentals, holds, revenue, registrations, parked events and each projection position', async () => {
    const head = await t.infra.events.headPosition();
    await eventually(
      () => t.infra.store.getCheckpoint('reports'),
      (c) => c === head,
    );
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('rentlog_orders{status="confirmed"}')).toBe(1);
    expect(value('rentlog_orders{status="picked_up"}')).toBe(1);
    expect(value('rentlog_orders{status="cancelled"}')).toBe(0);
    expect(value('rentlog_rentals_active')).toBe(1);
    expect(value('rentlog_holds_active')).toBe(0);
    expect(value('rentlog_revenue_minor_units{kind="captured",currency="EUR"}')).toBe(2000);
    expect(value('rentlog_revenue_minor_units{kind="refunded",currency="EUR"}')).toBe(400);
    expect(value('rentlog_customer_registrations')).toBe(1);
    expect(value('rentlog_projection_position{projection="reports"}')).toBe(Number(head));
    expect(value('rentlog_projection_lag_events{projection="orders"}')).toBe(0);
    expect(text).toContain('# TYPE rentlog_parked_events gauge');
    expect(value('rentlog_jobs{state="failed"}')).toBe(0);
    expect(value('rentlog_job_queue_failed{queue="maintenance"}')).toBe(0);
    expect(text).toContain('# TYPE rentlog_job_duration_seconds histogram');
  });
});

describe('GET /v1/dashboard', () => {
  it("shows today's figures, 30 days, top products, projection lag and the job store's counts", async () => {
    const head = String(await t.infra.events.headPosition());
    const res = await get('/v1/dashboard', { ...t.authAs(['staff']), 'x-min-position': head });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      today: '2028-05-11',
      timeZone: 'UTC',
      revenueToday: eur(600), // 1000 captured, 400 refunded
      revenueMonth: eur(1600),
      activeRentals: 1,
      overdueRentals: 0,
      pickupsToday: 1,
      returnsToday: 0,
      holdsActive: 0,
      projectionLag: 0,
      parkedEvents: 0,
      jobs: { failed: 0, pending: expect.any(Number) },
    });
    expect(d.last30Days).toHaveLength(30);
    expect(d.last30Days.at(-2)).toEqual({ date: '2028-05-10', revenue: eur(1000), utilization: 0.5 });
    expect(d.topProducts[0]).toMatchObject({ productId: tent, rentals: 2, revenue: eur(1600) });
    expect(d.projections.map((p: { name: string }) => p.name)).toContain('reports');

    clock.set('2028-05-13T09:00:00.000Z');
    const later = (await get('/v1/dashboard', t.authAs(['staff']))).json();
    expect(later).toMatchObject({
      overdueRentals: 1,
      overdue: [expect.objectContaining({ rentalEnd: '2028-05-11', daysOverdue: 2 })],
    });
    expect((await get('/v1/dashboard', t.authAs(['customer']))).statusCode).toBe(403);
  });
});
