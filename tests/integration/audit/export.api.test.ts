/**
 * Taking the log out: GET /v1/audit/events as NDJSON over HTTP, and the CLI commands behind
 * `npm run export` and `npm run audit` (`rentlog export`, `rentlog audit verify | checkpoint`) on the
 * same data, opened a second time as a CLI process opens it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { eur } from '../../support/fixtures.js';
import { registerProduct } from '../../support/payment-fixtures.js';
import { auditCommand, exportCommand } from '../../../bin/cli/audit.cli.js';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { createLogger } from '../../../infrastructure/logging/logger.js';
import { CHEAP_PASSWORD_HASHING } from '../../support/test-env.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let productIds: string[];
beforeAll(async () => {
  t = await startTestApp();
  productIds = [];
  for (let i = 0; i < 3; i++) {
    const productId = await registerProduct(t);
    productIds.push(productId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/products/${productId}/reprice`,
      payload: { dailyRate: eur(2000 + i) },
      headers: t.authAs(['staff']),
    });
    expect(res.statusCode).toBe(200);
  }
});
afterAll(() => t.close());

const NDJSON = 'application/x-ndjson';
const lines = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; position: string; hash: string; streamId: string });

/** `rentlog audit|export <args>` on the test app's data (a second connection to its files, as the CLI opens them). */
async function rentlog(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const config = loadConfig({ ...CHEAP_PASSWORD_HASHING, DATA_DIR: t.config.dataDir });
  const collect = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = collect();
  const err = collect();
  const logger = createLogger('cli-test', { level: 'warn', stream: new PassThrough() });
  const [command, ...rest] = args;
  const run = command === 'export' ? exportCommand : auditCommand;
  const code = await run(config, logger, rest, { out: out.stream, err: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('GET /v1/audit/events as NDJSON', () => {
  it('streams the whole range, one event a line, without a limit', async () => {
    const head = await t.infra.events.headPosition();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?limit=1',
      headers: { ...t.authAs(['auditor']), accept: NDJSON },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(NDJSON);
    const events = lines(res.body);
    // `limit` does not apply; the export itself is recorded (who, when, from where) before the first line.
    expect(events).toHaveLength(Number(head) + 1);
    expect(events.at(-1)?.type).toBe('AuditExported');
    expect(res.headers['x-export-id']).toEqual(expect.any(String));
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => String(i + 1)));
    for (const event of events) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes a range of positions and types', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?fromPosition=2&toPosition=9&type=ProductRepriced,ProductRegistered',
      headers: { ...t.authAs(['auditor']), accept: NDJSON },
    });
    const events = lines(res.body);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(BigInt(event.position)).toBeGreaterThan(2n);
      expect(BigInt(event.position)).toBeLessThanOrEqual(9n);
      expect(['ProductRepriced', 'ProductRegistered']).toContain(event.type);
    }
  });

  it('refuses a position the log never gave out before it starts streaming, and other roles', async () => {
    const beyond = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?fromPosition=999999',
      headers: { ...t.authAs(['auditor']), accept: NDJSON },
    });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().code).toBe('POSITION_INVALID');
    const staff = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events',
      headers: { ...t.authAs(['staff']), accept: NDJSON },
    });
    expect(staff.statusCode).toBe(403);
  });
});

describe('the CLI', () => {
  it('exports a range as NDJSON on stdout, the same lines the API streams', async () => {
    const out = await rentlog(['export', '--from', '0', '--to', '6', '--type', 'ProductRepriced,ProductRegistered']);
    expect(out.code).toBe(0);
    const api = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?toPosition=6&type=ProductRepriced,ProductRegistered',
      headers: { ...t.authAs(['auditor']), accept: NDJSON },
    });
    expect(lines(out.stdout)).toEqual(lines(api.body));
    expect(lines(out.stdout).length).toBeGreaterThan(1);
    expect((await rentlog(['export', '--from', 'x'])).code).toBe(2);
    const file = path.join(t.config.dataDir, 'events.ndjson');
    expect(
      (await rentlog(['export', '--to', '6', '--type', 'ProductRepriced,ProductRegistered', '--out', file])).code,
    ).toBe(0);
    expect(lines(readFileSync(file, 'utf8'))).toEqual(lines(api.body));
  });

  it('checkpoints and verifies (exit 0), then names a tampered event (exit 1)', async () => {
    const taken = await rentlog(['audit', 'checkpoint']);
    expect(taken.code).toBe(0);
    expect(JSON.parse(taken.stdout)).toMatchObject({ recorded: 1, last: { sequence: 1 } });
    const clean = await rentlog(['audit', 'verify']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, checkpoints: { checked: 1 } });

    const db = new Database(path.join(t.config.dataDir, 'events.db'));
    const streamId = `product-${productIds[1]}`;
    db.prepare(
      "UPDATE events SET data = json_set(data, '$.dailyRate.amount', 1) WHERE stream_id = ? AND revision = 1",
    ).run(streamId);
    db.close();
    const broken = await rentlog(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).firstBroken).toMatchObject({ streamId, revision: 1, reason: 'changed' });
    expect(broken.stderr).toMatch(/verified \d+ events/);
    // The API reads the same verdict, and readiness shows it.
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.audit).toMatchObject({ status: 'down', firstBroken: { streamId } });
  });
});
