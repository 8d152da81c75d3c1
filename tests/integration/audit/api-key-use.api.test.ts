/**
 * API key use as a security event: which key (never its secret), when (to the minute), from where;
 * at most one record a key a minute, whatever the number of calls or of api processes.
 */
import { startTestApp, type TestApp } from '../../support/test-app.js';

let aheadMs = 0;
const clock = { now: () => new Date(Date.parse('2026-12-02T10:00:05.000Z') + aheadMs) };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

type Item = {
  type: string;
  at: string;
  userId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  actor: { userId: string; role: string };
  detail: Record<string, unknown>;
};

async function createKey(name: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    payload: { name, roles: ['staff'] },
    headers: t.authAs(['admin']),
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { apiKeyId: string; key: string };
}

const call = (key: string, agent: string) =>
  t.app.inject({ method: 'GET', url: '/v1/products', headers: { 'x-api-key': key, 'user-agent': agent } });

const securityEvents = async (query: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/audit/security-events?${query}`,
    headers: t.authAs(['auditor']),
  });
  expect(res.statusCode).toBe(200);
  return res.json().items as Item[];
};

describe('API key use in GET /v1/audit/security-events', () => {
  it('records who used which key, when and from where, once a key a minute', async () => {
    aheadMs = 0;
    const reports = await createKey('reporting service');
    const other = await createKey('billing service');
    for (let i = 0; i < 5; i++) expect((await call(reports.key, 'reports/2.1')).statusCode).toBe(200);
    expect((await call(other.key, 'billing/1.0')).statusCode).toBe(200);
    aheadMs = 50_000; // 10:00:55: the same minute
    expect((await call(reports.key, 'reports/2.1')).statusCode).toBe(200);
    aheadMs = 60_000; // 10:01:05: the next minute
    expect((await call(reports.key, 'reports/2.2')).statusCode).toBe(200);
    expect((await call(reports.key, 'reports/2.2')).statusCode).toBe(200);

    const used = await securityEvents('type=ApiKeyUsed');
    const ofReports = used.filter((i) => i.detail.apiKeyId === reports.apiKeyId);
    expect(ofReports).toEqual([
      expect.objectContaining({
        type: 'ApiKeyUsed',
        at: '2026-12-02T10:00:05.000Z',
        userId: null,
        ipAddress: '127.0.0.1',
        userAgent: 'reports/2.1',
        actor: { userId: `apikey:${reports.apiKeyId}`, role: 'api_key' },
        detail: { apiKeyId: reports.apiKeyId, minute: '2026-12-02T10:00' },
      }),
      expect.objectContaining({
        at: '2026-12-02T10:01:05.000Z',
        userAgent: 'reports/2.2',
        detail: { apiKeyId: reports.apiKeyId, minute: '2026-12-02T10:01' },
      }),
    ]);
    expect(used.filter((i) => i.detail.apiKeyId === other.apiKeyId)).toHaveLength(1);
    // By the key's caller id too, and never with its secret.
    const byCaller = await securityEvents(`userId=apikey:${reports.apiKeyId}`);
    expect(byCaller.map((i) => i.type)).toEqual(['ApiKeyUsed', 'ApiKeyUsed']);
    const everything = JSON.stringify(await securityEvents('limit=500'));
    for (const key of [reports.key, other.key]) expect(everything).not.toContain(key.split('.')[1]);
    expect(everything).not.toMatch(/secretHash/);
    // Creation shows with its roles.
    const created = await securityEvents('type=ApiKeyCreated');
    expect(created.find((i) => i.detail.apiKeyId === reports.apiKeyId)).toMatchObject({ detail: { roles: ['staff'] } });
  });

  it('records one use a minute even when two api processes (two access checks) see the key in it', async () => {
    aheadMs = 120_000; // 10:02:05
    const key = await createKey('shared service');
    const second = await startTestApp({ DATA_DIR: t.config.dataDir }, { clock });
    try {
      // The second "process" has an access check of its own with no memory of the first's writes.
      const again = (app: TestApp) =>
        app.app.inject({ method: 'GET', url: '/v1/products', headers: { 'x-api-key': key.key } });
      await eventuallyKnown(second, key.apiKeyId);
      expect((await again(t)).statusCode).toBe(200);
      expect((await again(second)).statusCode).toBe(200);
      const events = await t.infra.events.readStream(`apikey-${key.apiKeyId}`);
      expect(events.map((e) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyUsed']);
    } finally {
      await second.close();
    }
  });
});

/** The second app's projector builds the access read model from the shared log before the key works there. */
async function eventuallyKnown(app: TestApp, apiKeyId: string) {
  for (let i = 0; i < 100; i++) {
    if (await app.infra.store.collection('access').findById(`apikey:${apiKeyId}`)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the second app never learned the key');
}
