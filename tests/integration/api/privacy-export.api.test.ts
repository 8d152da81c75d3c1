/**
 * GET /v1/customers/{id}/export (GDPR Art. 15/20): every personal value stored about the customer,
 * in its own streams and read models, with its orders and payments; nothing of another customer, no
 * password or token hash; for admins and that customer only.
 */
import { randomBytes } from 'node:crypto';
import { personalData } from '../../../domain/personal-data.js';
import { mapPath } from '../../../infrastructure/privacy/field-cipher.js';
import { eur } from '../../support/fixtures.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('GET /v1/customers/{id}/export', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const tag = randomBytes(5).toString('hex');
  const ids: Record<string, string> = {};
  let own: Record<string, string>;
  let position = '0';

  beforeAll(async () => {
    t = await startTestApp();
    s = shop(t);
    const product = await s.product({ stock: 5 });
    const password = 'violet umbrella harbour 42';
    const signedUp = await s.post(
      '/v1/auth/register',
      { email: `ex.${tag}@example.com`, password, name: `Exporter ${tag}` },
      {},
    );
    ids.customer = signedUp.json().customerId;
    ids.other = await s.customer(`Other ${tag}`);
    const login = await s.post('/v1/auth/login', { email: `ex.${tag}@example.com`, password }, {});
    own = { authorization: `Bearer ${login.json().accessToken}` };
    const order = async (customerId: string, address: string) => {
      const res = await s.post('/v1/orders', {
        customerId,
        rentalStart: day(0),
        rentalEnd: day(2),
        items: [{ productId: product, quantity: 1 }],
        fulfilment: { method: 'delivery', address },
      });
      const orderId = res.json().orderId as string;
      const paid = await s.post(`/v1/orders/${orderId}/payments`, {
        amount: eur(5000),
        purpose: 'deposit',
        paymentMethod: 'pm_card_ok',
      });
      position = paid.json().position;
      return orderId;
    };
    ids.order = await order(ids.customer, `${tag} Export Road`);
    const cancelled = await s.post(`/v1/orders/${ids.order}/cancel`, { reason: `moving house, ${tag}` });
    position = cancelled.json().position;
    ids.otherOrder = await order(ids.other, `${tag} Other Road`);
  });
  afterAll(() => t?.close());

  const exportOf = (id: string, headers: Record<string, string>) =>
    s.get(`/v1/customers/${id}/export`, { ...headers, 'x-min-position': position });

  it('holds every personal value stored in the customer’s streams, its orders and payments, and nothing else', async () => {
    const res = await exportOf(ids.customer, t.authAs(['admin']));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="customer-${ids.customer}.json"`);
    const body = res.json();
    expect(body.customer).toMatchObject({
      customerId: ids.customer,
      name: `Exporter ${tag}`,
      email: `ex.${tag}@example.com`,
    });
    expect(body.account).toMatchObject({
      email: `ex.${tag}@example.com`,
      name: `Exporter ${tag}`,
      roles: ['customer'],
    });
    expect(body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([ids.order]);
    expect(body.payments).toHaveLength(1);
    expect(body.sessions).toHaveLength(1);
    expect(body.documents).toEqual([]);
    // The notifications recorded so far (the worker sends them meanwhile): the customer's own only.
    for (const n of body.notifications as Array<{ customerId: string; to: string }>)
      expect([n.customerId, n.to]).toEqual([ids.customer, `ex.${tag}@example.com`]);
    // Every personal value the log holds about this customer, by the declarations, is in the export.
    const streams = [...new Set(body.history.map((h: { streamId: string }) => h.streamId))] as string[];
    expect(streams).toEqual(expect.arrayContaining([`customer-${ids.customer}`, `order-${ids.order}`]));
    const text = res.body;
    let values = 0;
    for (const stream of streams)
      for (const event of await t.infra.events.readStream(stream)) {
        const declared = personalData[event.type as keyof typeof personalData];
        for (const p of declared.personal)
          mapPath(event.data, p, (value) => {
            if (typeof value === 'string') {
              values++;
              expect(text).toContain(JSON.stringify(value).slice(1, -1));
            }
            return value;
          });
      }
    expect(values).toBeGreaterThanOrEqual(5); // name, email (customer and user), delivery address, reason, device
    expect(text).toContain(`moving house, ${tag}`);
    // Nothing of the other customer, no secret.
    for (const foreign of [ids.other, ids.otherOrder, `Other ${tag}`, `${tag} Other Road`])
      expect(text).not.toContain(foreign);
    for (const secret of ['passwordHash', 'secretHash', '$argon2']) expect(text).not.toContain(secret);
  });

  it('is for admins and the customer itself: another customer gets a 404, staff a 403', async () => {
    expect((await exportOf(ids.customer, own)).statusCode).toBe(200);
    expect((await exportOf(ids.other, own)).statusCode).toBe(404);
    expect((await exportOf(ids.customer, t.authAs(['staff']))).statusCode).toBe(403);
    expect((await exportOf('00000000-0000-4000-8000-000000000000', t.authAs(['admin']))).statusCode).toBe(404);
  });
});
