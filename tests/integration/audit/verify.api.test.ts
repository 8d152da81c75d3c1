/**
 * Tamper evidence through the public interface: a shop's log is tampered with in the SQLite file
 * itself (a second connection, as anyone with the file could), and GET /v1/audit/verify names the
 * first event changed, removed, inserted or reordered; /health/ready then says the log is broken.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { eur } from '../../support/fixtures.js';
import { placeOrder, registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface Shop {
  t: TestApp;
  productId: string;
  paymentId: string;
  db: Database.Database;
}

const open: Shop[] = [];
afterEach(async () => {
  for (const shop of open.splice(0)) {
    shop.db.close();
    await shop.t.close();
  }
});

/** A shop with a product repriced a few times and a captured payment, and a connection to its events.db. */
async function shopWithHistory(): Promise<Shop> {
  const t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
  const staff = t.authAs(['staff']);
  const productId = await registerProduct(t);
  for (const amount of [1600, 1700, 1800, 1900])
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/products/${productId}/reprice`,
          payload: { dailyRate: eur(amount) },
          headers: staff,
        })
      ).statusCode,
    ).toBe(200);
  const orderId = await placeOrder(t, 'cust-1', productId);
  const paid = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/payments`,
    payload: { amount: eur(5000), purpose: 'deposit', paymentMethod: 'pm_card_ok' },
    headers: staff,
  });
  expect(paid.statusCode).toBe(201);
  const { paymentId } = paid.json() as { paymentId: string };
  const captured = await t.app.inject({
    method: 'POST',
    url: `/v1/payments/${paymentId}/capture`,
    payload: {},
    headers: staff,
  });
  expect(captured.statusCode).toBe(200);
  const db = new Database(path.join(t.config.dataDir, 'events.db'));
  const shop = { t, productId, paymentId, db };
  open.push(shop);
  return shop;
}

const verify = async (t: TestApp) => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: t.authAs(['auditor']) });
  expect(res.statusCode).toBe(200);
  return res.json();
};
const checkpoint = async (t: TestApp) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/audit/checkpoints',
    payload: {},
    headers: t.authAs(['auditor']),
  });
  expect(res.statusCode).toBe(200);
  return res.json();
};
const row = (db: Database.Database, streamId: string, revision: number) =>
  db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as {
    position: number;
    data: string;
  };

describe('GET /v1/audit/verify', () => {
  it('verifies an untouched log, with its checkpoints, and says so on /health/ready', async () => {
    const { t } = await shopWithHistory();
    const taken = await checkpoint(t);
    expect(taken).toMatchObject({ recorded: 1, last: { sequence: 1, root: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await checkpoint(t)).recorded).toBe(0); // nothing moved since
    const report = await verify(t);
    const head = await t.infra.events.headPosition();
    expect(report).toMatchObject({
      ok: true,
      checkedEvents: Number(head),
      head: { position: String(head) },
      checkpoints: { checked: 1, last: { sequence: 1 } },
    });
    expect(report.firstBroken).toBeUndefined();
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.audit).toMatchObject({ status: 'up', verified: true, checkedEvents: Number(head) });
    // Every event the audit shows carries its link.
    const events = await t.app.inject({ method: 'GET', url: '/v1/audit/events', headers: t.authAs(['auditor']) });
    for (const event of events.json().events) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names a changed event: a PaymentCaptured amount set from 5000 to 1', async () => {
    const { t, db, paymentId } = await shopWithHistory();
    const streamId = `payment-${paymentId}`;
    const captured = db
      .prepare("SELECT position, revision, data FROM events WHERE stream_id = ? AND type = 'PaymentCaptured'")
      .get(streamId) as { position: number; revision: number; data: string };
    const data = JSON.parse(captured.data);
    expect(data.amount.amount).toBe(5000);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify({ ...data, amount: { ...data.amount, amount: 1 } }),
      captured.position,
    );
    const report = await verify(t);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({
      streamId,
      revision: captured.revision,
      position: String(captured.position),
      reason: 'changed',
    });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.audit).toMatchObject({ status: 'down', firstBroken: { streamId, reason: 'changed' } });
  });

  it('names a removed event in the middle of a stream', async () => {
    const { t, db, productId } = await shopWithHistory();
    const streamId = `product-${productId}`;
    const removed = row(db, streamId, 2);
    db.prepare('DELETE FROM events WHERE position = ?').run(removed.position);
    expect((await verify(t)).firstBroken).toMatchObject({ streamId, revision: 2, reason: 'removed' });
  });

  it('names a removed event also when the revisions after it were renumbered to hide the gap', async () => {
    const { t, db, productId } = await shopWithHistory();
    const streamId = `product-${productId}`;
    const last = (
      db.prepare('SELECT MAX(revision) AS r FROM events WHERE stream_id = ?').get(streamId) as { r: number }
    ).r;
    db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 1').run(streamId);
    for (let r = 2; r <= last; r++)
      db.prepare('UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?').run(r - 1, streamId, r);
    expect((await verify(t)).firstBroken).toMatchObject({ streamId, revision: 1, reason: 'removed' });
  });

  it('names the removed tail of a stream from the signed checkpoint that recorded its head', async () => {
    const { t, db, productId } = await shopWithHistory();
    await checkpoint(t);
    const streamId = `product-${productId}`;
    const last = (
      db.prepare('SELECT MAX(revision) AS r FROM events WHERE stream_id = ?').get(streamId) as { r: number }
    ).r;
    db.prepare('DELETE FROM events WHERE stream_id = ? AND revision >= ?').run(streamId, last - 1);
    expect((await verify(t)).firstBroken).toMatchObject({ streamId, revision: last - 1, reason: 'removed' });
  });

  it('names a removed checkpoint (the last one recorded is remembered beside the log)', async () => {
    const { t, db } = await shopWithHistory();
    await checkpoint(t);
    db.prepare("DELETE FROM events WHERE stream_id = 'auditcheckpoint-log'").run();
    expect((await verify(t)).firstBroken).toMatchObject({
      streamId: 'auditcheckpoint-log',
      revision: 0,
      reason: 'removed',
    });
  });

  it('names a checkpoint whose signed content was changed', async () => {
    const { t, db } = await shopWithHistory();
    await checkpoint(t);
    const cp = db.prepare("SELECT position, data FROM events WHERE stream_id = 'auditcheckpoint-log'").get() as {
      position: number;
      data: string;
    };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify({ ...JSON.parse(cp.data), root: '0'.repeat(64) }),
      cp.position,
    );
    // Checked before its own link (it covers the events before it): its signature no longer holds.
    expect((await verify(t)).firstBroken).toMatchObject({
      streamId: 'auditcheckpoint-log',
      revision: 0,
      reason: 'checkpoint',
      detail: expect.stringContaining('bad signature'),
    });
  });

  it('names two events of a stream swapped with each other', async () => {
    const { t, db, productId } = await shopWithHistory();
    const streamId = `product-${productId}`;
    const a = row(db, streamId, 1);
    const b = row(db, streamId, 2);
    const swap = db.transaction(() => {
      db.prepare('UPDATE events SET revision = -1 WHERE position = ?').run(a.position);
      db.prepare('UPDATE events SET revision = 1 WHERE position = ?').run(b.position);
      db.prepare('UPDATE events SET revision = 2 WHERE position = ?').run(a.position);
    });
    swap();
    expect((await verify(t)).firstBroken).toMatchObject({ streamId, revision: 1, reason: 'reordered' });
  });

  it('names two events whose contents were swapped in place', async () => {
    const { t, db, productId } = await shopWithHistory();
    const streamId = `product-${productId}`;
    const columns = 'event_id, type, data, metadata';
    const a = db.prepare(`SELECT ${columns} FROM events WHERE stream_id = ? AND revision = 1`).get(streamId) as Record<
      string,
      string
    >;
    const b = db.prepare(`SELECT ${columns} FROM events WHERE stream_id = ? AND revision = 2`).get(streamId) as Record<
      string,
      string
    >;
    const put = db.prepare(
      'UPDATE events SET event_id = ?, type = ?, data = ?, metadata = ? WHERE stream_id = ? AND revision = ?',
    );
    db.transaction(() => {
      put.run('temporary', a.type, a.data, a.metadata, streamId, 2);
      put.run(b.event_id, b.type, b.data, b.metadata, streamId, 1);
      put.run(a.event_id, a.type, a.data, a.metadata, streamId, 2);
    })();
    expect((await verify(t)).firstBroken).toMatchObject({ streamId, revision: 1, reason: 'reordered' });
  });

  it('names an event inserted into a stream without going through Rentlog', async () => {
    const { t, db, productId } = await shopWithHistory();
    const streamId = `product-${productId}`;
    const last = (
      db.prepare('SELECT MAX(revision) AS r FROM events WHERE stream_id = ?').get(streamId) as { r: number }
    ).r;
    const info = db
      .prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
         VALUES (?, ?, 'forged-1', 'ProductRepriced', ?, ?, '2026-01-01T00:00:00.000Z')`,
      )
      .run(
        streamId,
        last + 1,
        JSON.stringify({ productId, dailyRate: eur(1), deposit: eur(1) }),
        JSON.stringify({
          correlationId: 'x',
          causationId: 'x',
          actor: { userId: 'x', role: 'admin' },
          schemaVersion: 1,
        }),
      );
    expect((await verify(t)).firstBroken).toMatchObject({
      streamId,
      revision: last + 1,
      position: String(info.lastInsertRowid),
      reason: 'inserted',
    });
  });

  it('is for auditors and admins only, and checks a fromPosition', async () => {
    const { t } = await shopWithHistory();
    const staff = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: t.authAs(['staff']) });
    expect(staff.statusCode).toBe(403);
    const beyond = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/verify?fromPosition=999999',
      headers: t.authAs(['admin']),
    });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().code).toBe('POSITION_INVALID');
    const part = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/verify?fromPosition=3',
      headers: t.authAs(['admin']),
    });
    expect(part.json()).toMatchObject({ ok: true, fromPosition: '3' });
  });
});
