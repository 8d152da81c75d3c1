/**
 * The daily overdue scan (`overdue-notices`, issue 10) through the worker's job engine and a test
 * clock, in a shop in Europe/Berlin that opens at 09:00 (SHOP_OPENS_AT): an order kept past its end
 * gets its overdue notice at the shop's opening on day 1, day 3 and day 10, once each, and no more
 * once it is back; the slot stays at 09:00 local across the spring-forward and fall-back days (07:00
 * or 08:00 UTC); a customer with reminders off gets none (recorded as skipped); the hourly reminders
 * scan sends no overdue notices.
 */
import { eur } from '../../support/fixtures.js';
import { outbox } from '../../support/outbox.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';

const clock = new TestClock('2026-03-20T10:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ SHOP_TIMEZONE: 'Europe/Berlin', SHOP_OPENS_AT: '09:00' }, { clock });
  s = shop(t);
});
afterAll(() => t?.close());

const ok = (res: { statusCode: number; body: string }, status = 200) => {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as Record<string, string>;
};

/** Berlin's offset from UTC on a day of 2026 (summer time from 29 March to 24 October). */
const offsetHours = (day: string) => (day >= '2026-03-29' && day < '2026-10-25' ? 2 : 1);
/** `HH:MM:SS` on a Berlin day, as the UTC instant. */
const berlin = (day: string, time: string) => {
  const [h, m, sec] = time.split(':').map(Number);
  const utc = new Date(`${day}T00:00:00.000Z`).getTime() + ((h - offsetHours(day)) * 3600 + m * 60 + sec) * 1000;
  return new Date(utc).toISOString();
};
const addDay = (day: string, n: number) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);

/** A customer (reminders on or off) with an order picked up and due back on `rentalEnd`. */
async function rentedOut(rentalStart: string, rentalEnd: string, reminders: boolean) {
  const email = `overdue.${Math.random().toString(36).slice(2, 10)}@example.com`;
  const customerId = ok(await s.post('/v1/customers', { name: 'Hans Overdue', email }), 201).customerId;
  ok(
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${customerId}`,
      payload: { preferences: { reminders } },
      headers: s.staff(),
    }),
  );
  const productId = await s.product({ stock: 1, dailyRate: eur(2000), deposit: eur(5000) });
  const { orderId } = ok(
    await s.post('/v1/orders', { customerId, rentalStart, rentalEnd, items: [{ productId, quantity: 1 }] }),
    201,
  );
  const payment = ok(
    await s.post(`/v1/orders/${orderId}/payments`, {
      amount: eur(5000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
    }),
    201,
  );
  ok(await s.post(`/v1/payments/${payment.paymentId}/capture`, {}));
  ok(await s.post(`/v1/orders/${orderId}/confirm`, {}));
  const picked = ok(await s.post(`/v1/orders/${orderId}/pickup`, {}));
  ok(await s.get(`/v1/orders/${orderId}`, { ...s.staff(), 'x-min-position': picked.position }));
  return { customerId, email, orderId };
}

/** Moves the clock and lets the worker's engine fire what is due and run it to the end. */
async function at(iso: string) {
  clock.set(iso);
  await t.worker.jobs.drain();
}

const overdueMails = async (email: string) =>
  (await outbox(t)).filter((m) => m.to === email && m.template === 'overdue-notice').map((m) => m.subject);

it('sends the notices of day 1, 3 and 10 at the opening, across the spring-forward day, once each, until the order is back', async () => {
  const on = await rentedOut('2026-03-24', '2026-03-27', true);
  const off = await rentedOut('2026-03-24', '2026-03-27', false);

  const expected: string[] = [];
  for (let day = '2026-03-27'; day <= '2026-04-08'; day = addDay(day, 1)) {
    await at(berlin(day, '08:59:00')); // before the opening: nothing new today
    expect(await overdueMails(on.email)).toEqual(expected);
    await at(berlin(day, '09:00:30'));
    const daysOverdue = Math.round((Date.parse(day) - Date.parse('2026-03-27')) / 86_400_000);
    if ([1, 3, 10].includes(daysOverdue)) expected.push(`Order ${on.orderId} is ${daysOverdue} days overdue`);
    expect(await overdueMails(on.email)).toEqual(expected);
    // The day's slot was one job at 09:00 Berlin time (08:00 UTC before the change, 07:00 UTC after).
    expect(await t.infra.jobs.get(`overdue-notices@${berlin(day, '09:00:00')}`)).toMatchObject({ state: 'done' });
    // The same slot again (a retry, another worker): nothing twice.
    await t.runSchedule('overdue-notices', new Date(berlin(day, '09:00:00')));
    await t.worker.jobs.drain();
    expect(await overdueMails(on.email)).toEqual(expected);
  }
  expect(expected).toHaveLength(3);
  expect([berlin('2026-03-28', '09:00:00'), berlin('2026-03-29', '09:00:00')]).toEqual([
    '2026-03-28T08:00:00.000Z',
    '2026-03-29T07:00:00.000Z',
  ]);
  expect(await t.infra.jobs.get('overdue-notices@2026-03-29T08:00:00.000Z')).toBeNull();

  // Reminders off: the notices are recorded and skipped, none mailed.
  expect(await overdueMails(off.email)).toEqual([]);
  const listed = ok(await s.get(`/v1/notifications?customerId=${off.customerId}&limit=100`)) as unknown as {
    items: Array<{ template: string; status: string }>;
  };
  expect(listed.items.filter((n) => n.template === 'overdue-notice').map((n) => n.status)).toEqual([
    'skipped',
    'skipped',
    'skipped',
  ]);

  // Back on 8 April: nothing on day 17 (13 April) or after.
  const back = ok(await s.post(`/v1/orders/${on.orderId}/return`, { returnedOn: '2026-04-08' }));
  ok(await s.get(`/v1/orders/${on.orderId}`, { ...s.staff(), 'x-min-position': back.position }));
  await at(berlin('2026-04-13', '09:00:30'));
  await t.runSchedule('notification-reminders', new Date(berlin('2026-04-13', '10:00:00')));
  await t.worker.jobs.drain();
  expect(await overdueMails(on.email)).toEqual(expected);
  // The hourly scan sends no overdue notices (the other customer's order is still out, day 17).
  expect(await t.runSchedule('notification-reminders', new Date(berlin('2026-04-13', '11:00:00')))).toEqual({
    queued: 0,
    pickups: 0,
    returns: 0,
  });
});

it('keeps the opening at 09:00 local on the fall-back day, and catches up a day no worker ran', async () => {
  await at('2026-10-20T09:00:00.000Z');
  const order = await rentedOut('2026-10-21', '2026-10-24', true);
  // Day 1 is the fall-back day (25 October): 09:00 in Berlin is 08:00 UTC again.
  await at(berlin('2026-10-25', '08:59:00'));
  expect(await overdueMails(order.email)).toEqual([]);
  await at(berlin('2026-10-25', '09:00:30'));
  expect(berlin('2026-10-25', '09:00:00')).toBe('2026-10-25T08:00:00.000Z');
  expect(await t.infra.jobs.get('overdue-notices@2026-10-25T08:00:00.000Z')).toMatchObject({ state: 'done' });
  expect(await overdueMails(order.email)).toEqual([`Order ${order.orderId} is 1 days overdue`]);
  // No worker ran on day 3 (27 October): the slot of day 4 sends day 3's notice, once, late.
  await at(berlin('2026-10-28', '09:00:30'));
  await at(berlin('2026-10-29', '09:00:30'));
  expect(await overdueMails(order.email)).toEqual([
    `Order ${order.orderId} is 1 days overdue`,
    `Order ${order.orderId} is 4 days overdue`,
  ]);
});
