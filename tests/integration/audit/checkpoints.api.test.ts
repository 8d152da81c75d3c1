/**
 * Checkpoints taken one after another while the log grows, as the worker takes them every
 * AUDIT_CHECKPOINT_INTERVAL_SECONDS: every one of them must verify.
 */
import { placeOrder, registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
});
afterAll(() => t.close());

const auditor = () => t.authAs(['auditor']);
const checkpoint = async () => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/audit/checkpoints', payload: {}, headers: auditor() });
  expect(res.statusCode).toBe(200);
  return res.json() as { recorded: number; last: { sequence: number; chains: number } | null };
};
const verify = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: auditor() });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('checkpoints in a row', () => {
  it('verifies a second checkpoint taken after new streams began', async () => {
    const productId = await registerProduct(t);
    expect(await checkpoint()).toMatchObject({ recorded: 1 });
    await placeOrder(t, 'cust-1', productId); // a new chain
    const second = await checkpoint();
    expect(second).toMatchObject({ recorded: 1, last: { sequence: 2 } });
    const report = await verify();
    expect(report.firstBroken).toBeUndefined();
    expect(report).toMatchObject({ ok: true, checkpoints: { checked: 2 } });
  });

  it("verifies every checkpoint the worker's job takes while streams begin around it", async () => {
    const worker = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9', AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600' });
    try {
      const productId = await registerProduct(worker);
      for (let round = 0; round < 5; round++) {
        // New chains begin while the job drafts and records (the race of the kill -9 cycles).
        const [concurrent] = await Promise.all([
          worker.worker.jobs.runNow('audit-checkpoint'),
          placeOrder(worker, `cust-${round}`, productId),
          placeOrder(worker, `cust-${round}b`, productId),
        ]);
        const after = await worker.worker.jobs.runNow('audit-checkpoint');
        for (const job of [concurrent, after]) expect(job).toMatchObject({ state: 'done', lastError: null });
      }
      const res = await worker.app.inject({
        method: 'GET',
        url: '/v1/audit/verify',
        headers: worker.authAs(['auditor']),
      });
      const report = res.json();
      expect(report.firstBroken).toBeUndefined();
      expect(report.ok).toBe(true);
      expect(report.checkpoints.checked).toBeGreaterThanOrEqual(5);
    } finally {
      await worker.close();
    }
  });
});
