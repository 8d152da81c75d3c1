/**
 * A customer's whole month through the test clock: registered by staff, the customer chooses German;
 * an order is placed, paid, confirmed, picked up, kept four days too long and returned, and part of
 * the deposit refunded. The outbox folder then holds exactly the expected mails, in order, once each,
 * in German: the hold reminder is skipped (the order was confirmed before its time), overdue notices
 * go on days 1, 3 and 10 (the daily overdue scan) and stop once the order is back, and running the
 * hourly scan or the daily one again sends nothing twice.
 */
import { NotificationRemindersJob } from '../../../application/notification/notification-reminders.job.js';
import { eur } from '../../support/fixtures.js';
import { outbox } from '../../support/outbox.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';

const clock = new TestClock('2026-06-01T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ SHOP_TIMEZONE: 'UTC', HOLD_TTL_SECONDS: '1800' }, { clock });
  s = shop(t);
});
afterAll(() => t?.close());

const email = `month.${Date.now()}@example.com`;
const ok = (res: { statusCode: number; body: string }, status = 200) => {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as Record<string, string>;
};

/** Waits until the outbox holds `count` mails to the customer (the worker sends them), and answers them. */
async function mails(count: number) {
  const until = Date.now() + 15_000;
  for (;;) {
    const ours = (await outbox(t)).filter((m) => m.to === email);
    if (ours.length >= count || Date.now() > until) return ours;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The hourly scan's slot at the clock's time, as the job engine runs it. */
const scan = () => {
  const at = clock.now();
  return t.app.get(NotificationRemindersJob).run({ id: `notification-reminders@${at.toISOString()}`, at });
};
/** The daily overdue scan's slot (at the shop's opening, 09:00 UTC here) of the clock's day. */
const overdueScan = () =>
  t.runSchedule('overdue-notices', new Date(`${clock.now().toISOString().slice(0, 10)}T09:00:00.000Z`));

it('sends exactly the expected mails, in order, once each, in the customer language', async () => {
  const product = await s.product({ stock: 2, dailyRate: eur(2000), deposit: eur(5000) });
  const customerId = ok(await s.post('/v1/customers', { name: 'Greta Müller', email }), 201).customerId;
  ok(
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${customerId}`,
      payload: { preferences: { language: 'de' } },
      headers: s.staff(),
    }),
  );
  const placed = ok(
    await s.post('/v1/orders', {
      customerId,
      rentalStart: '2026-06-05',
      rentalEnd: '2026-06-08',
      items: [{ productId: product, quantity: 1 }],
    }),
    201,
  );
  const orderId = placed.orderId;
  expect(await mails(1)).toHaveLength(1);
  const payment = ok(
    await s.post(`/v1/orders/${orderId}/payments`, {
      amount: eur(5000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
    }),
    201,
  );
  ok(await s.post(`/v1/payments/${payment.paymentId}/capture`, {}));
  expect(await mails(2)).toHaveLength(2);
  clock.advance(5 * 60_000);
  ok(await s.post(`/v1/orders/${orderId}/confirm`, {}));
  expect(await mails(3)).toHaveLength(3);

  // The hold would have run out at 09:30; its reminder was due at 09:20, and is skipped: confirmed.
  clock.set('2026-06-01T10:00:00.000Z');
  await scan();
  clock.set('2026-06-04T10:00:00.000Z'); // the day before the pickup
  await scan();
  expect(await mails(4)).toHaveLength(4);
  await scan(); // the same hour again: nothing new
  clock.set('2026-06-05T09:00:00.000Z');
  ok(await s.post(`/v1/orders/${orderId}/pickup`, {}));
  clock.set('2026-06-07T10:00:00.000Z'); // the day before the end
  await scan();
  expect(await mails(5)).toHaveLength(5);
  // Overdue on the 9th (day 1), the 11th (day 3) and the 18th (day 10); each day's mail is out before the next day.
  let expected = 5;
  for (const day of ['09', '10', '11', '12', '13', '14', '15', '16', '17', '18']) {
    clock.set(`2026-06-${day}T10:00:00.000Z`);
    await scan();
    await overdueScan();
    await overdueScan();
    if (['09', '11', '18'].includes(day)) expected += 1;
    expect(await mails(expected)).toHaveLength(expected);
  }
  clock.set('2026-06-19T09:00:00.000Z');
  ok(await s.post(`/v1/orders/${orderId}/return`, { returnedOn: '2026-06-19' }));
  ok(await s.post(`/v1/payments/${payment.paymentId}/refund`, { amount: eur(1000), reason: 'goodwill' }));
  expect(await mails(9)).toHaveLength(9);
  clock.set('2026-06-25T10:00:00.000Z'); // would be day 17: back already, nothing more
  await scan();
  await overdueScan();
  clock.set('2026-06-30T10:00:00.000Z');
  await scan();
  await overdueScan();
  await new Promise((r) => setTimeout(r, 500));

  const month = await mails(10);
  expect(month.map((m) => [m.template, m.subject])).toEqual([
    ['order-placed', `Ihre Bestellung ${orderId} ist reserviert`],
    ['payment-receipt', 'Beleg für Ihre Zahlung von 50,00\u00a0€'],
    ['order-confirmed', `Bestellung ${orderId} bestätigt`],
    ['pickup-reminder', 'Erinnerung: Ihre Miete beginnt morgen'],
    ['return-reminder', 'Erinnerung: Ihre Miete endet morgen'],
    ['overdue-notice', `Bestellung ${orderId} ist seit 1 Tagen überfällig`],
    ['overdue-notice', `Bestellung ${orderId} ist seit 3 Tagen überfällig`],
    ['overdue-notice', `Bestellung ${orderId} ist seit 10 Tagen überfällig`],
    ['refund', 'Erstattung von 10,00\u00a0€'],
  ]);
  for (const m of month) {
    expect(m.language).toBe('de');
    expect(m.toName).toBe('Greta Müller');
    expect(m.text).toMatch(/^Hallo Greta Müller,/);
  }
  expect(new Set(month.map((m) => m.messageId)).size).toBe(9);

  // Every one recorded: nine sent, the hold reminder skipped.
  const listed = ok(await s.get(`/v1/notifications?customerId=${customerId}&limit=100`)) as unknown as {
    items: Array<{ template: string; status: string; to: string; attempts: number; orderId?: string }>;
  };
  const byTemplate = (rows: string[][]) => rows.map((r) => r.join(' ')).sort();
  expect(byTemplate(listed.items.map((n) => [n.template, n.status]))).toEqual(
    byTemplate([
      ['order-placed', 'sent'],
      ['hold-expiring', 'skipped'],
      ['payment-receipt', 'sent'],
      ['order-confirmed', 'sent'],
      ['pickup-reminder', 'sent'],
      ['return-reminder', 'sent'],
      ['overdue-notice', 'sent'],
      ['overdue-notice', 'sent'],
      ['overdue-notice', 'sent'],
      ['refund', 'sent'],
    ]),
  );
  expect(listed.items.every((n) => n.to === email && n.orderId === orderId)).toBe(true);
});
