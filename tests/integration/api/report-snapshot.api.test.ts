import { REPORT_SNAPSHOTS, type ReportSnapshotDoc } from '../../../application/report/report-snapshot.job.js';
import { shop } from '../../support/shop.js';
import { TestClock } from '../../support/test-clock.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * The `report-snapshot` schedule (issue 10): shortly after the shop's midnight it keeps the day that
 * ended, as GET /v1/reports/daily answered it, in `report_snapshots` under that day; once a day.
 */
const clock = new TestClock('2030-03-04T11:00:00.000Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ SHOP_TIMEZONE: 'Europe/Berlin', HOLD_TTL_SECONDS: '86400' }, { clock });
});
afterAll(async () => {
  await t.close();
});

const daily = async (date: string) => {
  const head = String(await t.infra.events.headPosition());
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/reports/daily?from=${date}&to=${date}`,
    headers: { ...t.authAs(['analyst']), 'x-min-position': head },
  });
  expect(res.statusCode).toBe(200);
  return res.json().days[0];
};

it('keeps the shop day that ended as the daily report answered it, once: a second run of the slot keeps the first snapshot', async () => {
  const s = shop(t);
  const productId = await s.product({ stock: 3 });
  const customerId = await s.customer();
  const place = () =>
    s.post('/v1/orders', {
      customerId,
      rentalStart: '2030-03-06',
      rentalEnd: '2030-03-08',
      items: [{ productId, quantity: 1 }],
    });
  expect((await place()).statusCode).toBe(201);
  // 23:30 UTC is 00:30 on 2030-03-05 in Berlin: this order counts on the next shop day.
  clock.set('2030-03-04T23:30:00.000Z');
  expect((await place()).statusCode).toBe(201);
  const figures = await daily('2030-03-04');
  expect(figures).toMatchObject({ date: '2030-03-04', ordersPlaced: 1, newCustomers: 1 });

  // The slot of 00:05 on 2030-03-05 in Berlin (23:05 UTC the day before).
  // The worker's engine may have fired that slot itself already (an order placed after 23:05 wakes it):
  // the same slot id, so whichever ran first took the one snapshot of the day.
  const slot = new Date('2030-03-04T23:05:00.000Z');
  expect(await t.runSchedule('report-snapshot', slot)).toMatchObject({ date: '2030-03-04' });
  const snapshots = t.infra.store.collection<ReportSnapshotDoc>(REPORT_SNAPSHOTS);
  const taken = await snapshots.findById('2030-03-04');
  expect(taken).toEqual({
    _id: '2030-03-04',
    date: '2030-03-04',
    timeZone: 'Europe/Berlin',
    figures,
    takenAt: '2030-03-04T23:30:00.000Z',
    slot: 'report-snapshot@2030-03-04T23:05:00.000Z',
  });

  clock.advance(60_000);
  expect(await t.runSchedule('report-snapshot', slot)).toEqual({ date: '2030-03-04', taken: false });
  expect(await snapshots.findById('2030-03-04')).toEqual(taken);
  // The worker fired the schedule's latest due slot when it started: the day before the first one.
  expect((await snapshots.find({})).map((d) => d._id).sort()).toEqual(['2030-03-03', '2030-03-04']);

  // GET /v1/reports/snapshots serves them, oldest first, only the days that have one.
  const read = (query: string, roles: Array<'analyst' | 'admin' | 'staff'> = ['analyst']) =>
    t.app.inject({ method: 'GET', url: `/v1/reports/snapshots${query}`, headers: t.authAs(roles) });
  const res = await read('?from=2030-03-01&to=2030-03-05');
  expect(res.statusCode).toBe(200);
  const { _id: _, ...served } = taken!;
  expect(res.json()).toEqual({
    from: '2030-03-01',
    to: '2030-03-05',
    timeZone: 'Europe/Berlin',
    days: [expect.objectContaining({ date: '2030-03-03', timeZone: 'Europe/Berlin' }), served],
  });
  // A later correction of the day does not change its snapshot: a third order counted on the 4th.
  clock.set('2030-03-04T12:00:00.000Z');
  expect((await place()).statusCode).toBe(201);
  expect((await daily('2030-03-04')).ordersPlaced).toBe(2);
  expect((await read('?from=2030-03-04&to=2030-03-04', ['admin'])).json().days).toEqual([served]);
  // By default the last 30 local days up to today (4 March, 13:00 in Berlin).
  expect((await read('')).json()).toMatchObject({ from: '2030-02-03', to: '2030-03-04' });
  expect((await read('?from=2030-03-05&to=2030-03-01')).statusCode).toBe(400);
  expect((await read('?from=2030-03-01', ['staff'])).statusCode).toBe(403);
});
