import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('audit', () => {
  it("reads a stream's full history with who, when and why", async () => {
    const s = shop(t);
    const productId = await s.product({ stock: 3 });
    await s.post(
      `/v1/products/${productId}/stock`,
      { delta: -1, reason: 'dropped from the van' },
      { ...t.authAs(['staff'], { userId: 'clerk-7' }), 'x-correlation-id': 'audit-corr-1' },
    );
    const auditor = t.authAs(['auditor']);
    const res = await t.app.inject({ method: 'GET', url: `/v1/audit/streams/product-${productId}`, headers: auditor });
    expect(res.statusCode).toBe(200);
    const { events, nextRevision } = res.json();
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ProductRegistered', 'ProductStockAdjusted']);
    expect(events[1]).toMatchObject({
      revision: 1,
      data: { delta: -1, stock: 2 },
      metadata: {
        actor: { userId: 'clerk-7', role: 'staff' },
        reason: 'dropped from the van',
        correlationId: 'audit-corr-1',
      },
    });
    expect(nextRevision).toBeNull();
    const paged = (
      await t.app.inject({ method: 'GET', url: `/v1/audit/streams/product-${productId}?limit=1`, headers: auditor })
    ).json();
    expect(paged.events).toHaveLength(1);
    expect(paged.nextRevision).toBe(1);
  });

  it('filters the global log by type, actor and correlation id, and pages by position', async () => {
    const s = shop(t);
    const productId = await s.product();
    await s.post(
      `/v1/products/${productId}/retire`,
      {},
      { ...t.authAs(['admin'], { userId: 'boss' }), 'x-correlation-id': 'retire-corr' },
    );
    const auditor = t.authAs(['auditor']);
    const byActor = (
      await t.app.inject({ method: 'GET', url: '/v1/audit/events?actor=boss', headers: auditor })
    ).json();
    expect(byActor.events.map((e: { type: string }) => e.type)).toEqual(['ProductRetired']);
    const byCorrelation = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/audit/events?correlationId=retire-corr&type=ProductRetired',
        headers: auditor,
      })
    ).json();
    expect(byCorrelation.events).toHaveLength(1);
    const first = (
      await t.app.inject({ method: 'GET', url: '/v1/audit/events?type=ProductRegistered&limit=1', headers: auditor })
    ).json();
    expect(first.events).toHaveLength(1);
    const next = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/audit/events?type=ProductRegistered&limit=1&fromPosition=${first.nextPosition}`,
        headers: auditor,
      })
    ).json();
    expect(BigInt(next.events[0].position)).toBeGreaterThan(BigInt(first.events[0].position));
  });

  it('never shows password or token hashes', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'audit@example.com', password: 'correct horse battery', name: 'Audit Me' },
    });
    const res = (
      await t.app.inject({ method: 'GET', url: '/v1/audit/events?type=UserRegistered', headers: t.authAs(['admin']) })
    ).json();
    expect(res.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.events)).not.toMatch(/\$argon2/);
    expect(res.events[0].data.passwordHash).toBe('[redacted]');
  });
});
