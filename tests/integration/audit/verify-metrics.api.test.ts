/** /metrics exports the last audit verification: rentlog_audit_verify_ok 1/0, its position and time. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
});
afterAll(() => t.close());

const metrics = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
const sample = (text: string, name: string) =>
  new RegExp(`^${name}\\{scope="(full|partial)"\\} (\\S+)$`, 'm').exec(text)?.slice(1) ?? null;
const verify = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: t.authAs(['auditor']) });
  expect(res.statusCode).toBe(200);
  return res.json() as { ok: boolean; head: { position: string } };
};

describe('rentlog_audit_verify_* on /metrics', () => {
  it('has no sample before a verification, 1 after a clean one and 0 after a broken one', async () => {
    const productId = await registerProduct(t);
    const before = await metrics();
    expect(before).toMatch(/^# TYPE rentlog_audit_verify_ok gauge$/m);
    if (sample(before, 'rentlog_audit_verify_ok')) {
      // The worker's first run had verified already: then it found the log whole.
      expect(sample(before, 'rentlog_audit_verify_ok')![1]).toBe('1');
    }

    const clean = await verify();
    expect(clean.ok).toBe(true);
    const ok = await metrics();
    expect(sample(ok, 'rentlog_audit_verify_ok')).toEqual(['full', '1']);
    expect(sample(ok, 'rentlog_audit_verify_position')).toEqual(['full', clean.head.position]);
    const at = Number(sample(ok, 'rentlog_audit_verify_timestamp_seconds')![1]);
    expect(Math.abs(at - Date.now() / 1000)).toBeLessThan(600);

    const db = new Database(path.join(t.config.dataDir, 'events.db'));
    try {
      db.prepare(
        'UPDATE events SET data = replace(data, \'"stock":3\', \'"stock":99\') WHERE stream_id = ? AND revision = 0',
      ).run(`product-${productId}`);
    } finally {
      db.close();
    }
    expect((await verify()).ok).toBe(false);
    expect(sample(await metrics(), 'rentlog_audit_verify_ok')).toEqual(['full', '0']);
  });
});
