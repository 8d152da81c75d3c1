/**
 * PATCH /v1/customers/{id} (preferences: reminders, language) and GET /v1/notifications: who may
 * change and see what, reminders turned off are skipped while transactional mail still goes, the
 * export lists the customer's notifications, and an erasure leaves no readable address behind (the
 * read model's `to` and the outbox folder's files alike).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NotificationRemindersJob } from '../../../application/notification/notification-reminders.job.js';
import { outboxDir } from '../../../infrastructure/mail/outbox-folder.mailer.js';
import { eur } from '../../support/fixtures.js';
import { inbox } from '../../support/outbox.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp();
  s = shop(t);
});
afterAll(() => t?.close());

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const patch = (id: string, payload: unknown, headers: Record<string, string> = s.staff()) =>
  t.app.inject({ method: 'PATCH', url: `/v1/customers/${id}`, payload: payload as object, headers });
let n = 0;
async function customer() {
  const email = `notify${++n}.${Date.now()}@example.com`;
  const res = await s.post('/v1/customers', { name: `Nora Notify${n}`, email });
  return { customerId: res.json().customerId as string, email };
}
const asCustomer = (customerId: string) => t.authAs(['customer'], { userId: `u-${customerId}`, customerId });

/** The notifications of a customer once `count` are recorded and done (sent or skipped). */
async function notifications(customerId: string, count: number, headers = s.staff()) {
  const until = Date.now() + 10_000;
  for (;;) {
    const res = await s.get(`/v1/notifications?customerId=${customerId}&limit=100`, headers);
    const items = res.json().items as Array<Record<string, unknown>>;
    const done = items.filter((i) => i.status === 'sent' || i.status === 'skipped');
    if (done.length >= count || Date.now() > until) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PATCH /v1/customers/{id}', () => {
  it('changes the record and its preferences, for staff and the customer itself only', async () => {
    const { customerId } = await customer();
    const other = await customer();
    const res = await patch(customerId, {
      phone: '+44 20 7946 0999',
      preferences: { reminders: false, language: 'de' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    const got = await s.get(`/v1/customers/${customerId}`, { ...s.staff(), 'x-min-position': res.json().position });
    expect(got.json()).toMatchObject({ phone: '+44 20 7946 0999', preferences: { reminders: false, language: 'de' } });
    const own = await patch(customerId, { preferences: { reminders: true } }, asCustomer(customerId));
    expect(own.statusCode).toBe(200);
    const again = await s.get(`/v1/customers/${customerId}`, { ...s.staff(), 'x-min-position': own.json().position });
    expect(again.json().preferences).toEqual({ reminders: true, language: 'de' });
    expect((await patch(other.customerId, { name: 'Not Me' }, asCustomer(customerId))).statusCode).toBe(404);
    expect((await patch(customerId, { name: 'X' }, t.authAs(['analyst']))).statusCode).toBe(403);
  });

  it('refuses what is not a change: an unknown language, an empty body, a stale If-Match, an unknown customer', async () => {
    const { customerId } = await customer();
    const bad = await patch(customerId, { preferences: { language: 'fr' } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await patch(customerId, {})).statusCode).toBe(400);
    expect((await patch(customerId, { preferences: {} })).statusCode).toBe(400);
    expect((await patch(customerId, { name: '  ' })).statusCode).toBe(400);
    const stale = await patch(customerId, { name: 'Nora Later' }, { ...s.staff(), 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    const unknown = await patch('00000000-0000-4000-8000-000000000000', { name: 'Nobody' });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
  });
});

describe('GET /v1/notifications', () => {
  it('records every mail; a customer sees its own, staff all, other roles none', async () => {
    const a = await customer();
    const b = await customer();
    const product = await s.product({ stock: 3 });
    for (const c of [a, b])
      await s.post('/v1/orders', {
        customerId: c.customerId,
        rentalStart: day(5),
        rentalEnd: day(6),
        items: [{ productId: product, quantity: 1 }],
      });
    const [mail] = await inbox(t, a.email, 1, 'order-placed');
    expect(mail).toMatchObject({
      template: 'order-placed',
      language: 'en',
      toName: expect.stringMatching(/^Nora Notify\d+$/),
    });
    expect(mail.html).toMatch(/<p>Hello Nora Notify\d+,<\/p>/);
    const own = await notifications(a.customerId, 1, asCustomer(a.customerId));
    expect(own.find((i) => i.template === 'order-placed')).toMatchObject({
      to: a.email,
      channel: 'email',
      status: 'sent',
      attempts: 1,
      sentAt: expect.any(String),
      orderId: expect.any(String),
    });
    const mine = await s.get('/v1/notifications?limit=100', asCustomer(a.customerId));
    expect(new Set(mine.json().items.map((i: { customerId: string }) => i.customerId))).toEqual(
      new Set([a.customerId]),
    );
    const theirs = await s.get(`/v1/notifications?customerId=${b.customerId}`, asCustomer(a.customerId));
    expect(theirs.json()).toEqual({ items: [], nextCursor: null });
    const all = await s.get('/v1/notifications?status=sent&limit=100');
    const ids = new Set(all.json().items.map((i: { customerId: string }) => i.customerId));
    expect(ids.has(a.customerId)).toBe(true);
    expect((await s.get('/v1/notifications', t.authAs(['analyst']))).statusCode).toBe(403);
    expect((await s.get('/v1/notifications?cursor=forged')).statusCode).toBe(400);
    expect((await s.get('/v1/notifications?status=lost')).statusCode).toBe(400);
    const page = await s.get('/v1/notifications?limit=1');
    expect(page.json().items).toHaveLength(1);
    const next = await s.get(`/v1/notifications?limit=1&cursor=${encodeURIComponent(page.json().nextCursor)}`);
    expect(next.json().items[0].notificationId).not.toBe(page.json().items[0].notificationId);
  });

  it('skips reminders for a customer who turned them off; transactional mail still goes', async () => {
    const { customerId, email } = await customer();
    await patch(customerId, { preferences: { reminders: false } });
    const product = await s.product({ stock: 1 });
    const placed = await s.post('/v1/orders', {
      customerId,
      rentalStart: day(1),
      rentalEnd: day(3),
      items: [{ productId: product, quantity: 1 }],
    });
    const orderId = placed.json().orderId as string;
    await s.post(`/v1/orders/${orderId}/payments`, {
      amount: eur(5000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
    });
    const confirmed = await s.post(`/v1/orders/${orderId}/confirm`, {});
    expect(confirmed.statusCode).toBe(200);
    await inbox(t, email, 1, 'order-confirmed');
    await s.get(`/v1/orders/${orderId}`, { ...s.staff(), 'x-min-position': confirmed.json().position });
    await t.app.get(NotificationRemindersJob).run({ id: 'test', at: new Date() });
    const items = await notifications(customerId, 3);
    expect(items.find((i) => i.template === 'pickup-reminder')).toMatchObject({
      status: 'skipped',
      skippedBecause: 'reminders_off',
    });
    expect((await inbox(t, email, 2)).map((m) => m.template).sort()).toEqual(['order-confirmed', 'order-placed']);
  });
});

describe('the export and erasure', () => {
  it('lists the notifications in the export, and leaves no readable address after an erasure', async () => {
    const { customerId, email } = await customer();
    const product = await s.product({ stock: 1 });
    await s.post('/v1/orders', {
      customerId,
      rentalStart: day(9),
      rentalEnd: day(10),
      items: [{ productId: product, quantity: 1 }],
    });
    await inbox(t, email, 1, 'order-placed');
    await notifications(customerId, 1);
    const admin = t.authAs(['admin']);
    const exported = await s.get(`/v1/customers/${customerId}/export`, admin);
    expect(exported.json().notifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ template: 'order-placed', to: email, status: 'sent' })]),
    );
    const erased = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${customerId}`, headers: admin });
    expect(erased.statusCode).toBe(202);
    const after = await s.get(`/v1/notifications?customerId=${customerId}&limit=100`);
    expect(after.json().items.length).toBeGreaterThan(0);
    expect(after.body).not.toContain(email);
    expect(after.json().items.every((i: { to: string }) => i.to === '[erased]')).toBe(true);
    expect(await inbox(t, email, 0)).toEqual([]);
    const dir = outboxDir(t.config.dataDir);
    for (const file of readdirSync(dir)) expect(readFileSync(path.join(dir, file), 'utf8')).not.toContain(email);
  });
});
