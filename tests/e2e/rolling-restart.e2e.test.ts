/**
 * A rolling restart loses no request: two api processes (plus a projector and a worker, which the
 * api's readiness asks for) on one DATA_DIR, behind a round-robin proxy that follows their readiness
 * (tests/support/round-robin-proxy.ts), under a steady load of product registrations with
 * Idempotency-Keys. Each api in turn gets a SIGTERM (readiness turns 503 first, the listener closes
 * SHUTDOWN_DRAIN_DELAY_MS later, requests under way finish), is started again and is waited for
 * until ready, then the other. Every request is answered 201, and every acknowledged registration's
 * event is in the log exactly once (the export, read after the load).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually.js';
import { buildOnce, childEnv, freePort, startRole, stop, type Started } from '../support/npm-start.js';
import { startNginx, type NginxProxy } from '../support/nginx-proxy.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { PROJECT_ROOT } from '../support/run-node-script.js';

const env = {
  JWT_SECRET: 'rolling-secret-rolling-secret-rolling-secret',
  PAYMENTS_WEBHOOK_SECRET: 'rolling-webhook-secret-1234',
  SHUTDOWN_DRAIN_DELAY_MS: '1500',
  SHUTDOWN_TIMEOUT_MS: '10000',
};
/** The first api of the first start creates the admin; every other start finds it there. */
const admin = { ADMIN_EMAIL: 'owner@rentlog.example', ADMIN_PASSWORD: 'rolling-staple-horse-9' };

const CLIENTS = 3;
const viaNginx = process.env.ROLLING_RESTART_PROXY === 'nginx';

interface Answer {
  status: number;
  sku: string;
  productId?: string;
  body: string;
}

describe('a rolling restart of the api processes behind a load balancer', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rolling-'));
  const started: Started[] = [];
  let proxy: RoundRobinProxy | undefined;
  let nginx: NginxProxy | undefined;

  beforeAll(() => buildOnce());
  afterAll(async () => {
    await nginx?.close();
    await proxy?.close();
    await Promise.all(started.filter((p) => p.child.exitCode === null).map((p) => stop(p)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every command 2xx and records each acknowledged one exactly once (SQLite)', async () => {
    const t0 = Date.now();
    const [projectorOps, workerOps, portA, portB] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    // All four at once (they share nothing but the SQLite files under DATA_DIR).
    const starting = [
      startRole('projector', dataDir, portA, { ...env, OPS_PORT: String(projectorOps) }),
      startRole('worker', dataDir, portA, { ...env, OPS_PORT: String(workerOps) }),
      startRole('api', dataDir, portA, { ...env, ...admin }),
      startRole('api', dataDir, portB, env),
    ];
    const settled = await Promise.allSettled(starting);
    for (const s of settled) if (s.status === 'fulfilled') started.push(s.value);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const apis = started.slice(2);
    const booted = Date.now() - t0;
    proxy = await startRoundRobinProxy(apis.map((a) => a.url));
    const lb = proxy;
    // ROLLING_RESTART_PROXY=nginx: the load goes through deploy/nginx/rentlog.conf on a real nginx
    // instead (which follows no readiness: it skips a replica on a refused connection); the proxy
    // above still polls readiness, for the transitions checked below.
    if (viaNginx)
      nginx = await startNginx(
        path.join(dataDir, 'nginx'),
        await freePort(),
        apis.map((a) => a.url),
      );
    const entry = nginx?.url ?? lb.url;
    await eventually(
      () => lb.backends.every((b) => b.ready),
      (ready) => ready,
      20_000,
    );

    const login = await fetch(`${entry}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.ADMIN_EMAIL, password: admin.ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    // The load: CLIENTS loops, each registering one product after another until told to stop.
    const answers: Answer[] = [];
    let loading = true;
    let serial = 0;
    const client = async () => {
      while (loading) {
        serial += 1;
        const sku = `ROLL-${serial}`;
        const res = await fetch(`${entry}/v1/products`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${accessToken}`,
            'idempotency-key': `roll-${sku}`,
          },
          body: JSON.stringify({
            sku,
            name: 'Party tent',
            category: 'events',
            dailyRate: { amount: 1000, currency: 'EUR' },
            deposit: { amount: 5000, currency: 'EUR' },
            stock: 1,
          }),
        });
        const body = await res.text();
        const productId = res.status === 201 ? (JSON.parse(body) as { productId: string }).productId : undefined;
        answers.push({ status: res.status, sku, productId, body });
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, client));
    const answered = (n: number) =>
      eventually(
        () => answers.length,
        (count) => count >= n,
        20_000,
      );

    // Each api in turn: SIGTERM, wait for its exit, start it again on its port, wait until the proxy sees it ready.
    const phases: string[] = [];
    const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      const began = Date.now();
      const value = await work();
      phases.push(`${what} ${((Date.now() - began) / 1000).toFixed(1)} s`);
      return value;
    };
    for (const [i, port] of [portA, portB].entries()) {
      await answered(answers.length + 10);
      const exit = await timed(`stop ${i}`, () => stop(apis[i]));
      expect([i, exit]).toEqual([i, 0]);
      expect(apis[i].output()).toMatch(/draining: readiness answers 503/);
      apis[i] = await timed(`start ${i}`, () => startRole('api', dataDir, port, env));
      started.push(apis[i]);
      await timed(`ready ${i}`, () =>
        eventually(
          () => lb.backends[i].ready,
          (ready) => ready,
          20_000,
        ),
      );
    }
    await answered(answers.length + 10);
    loading = false;
    await load;

    // Readiness turned 503 before the connection was refused, for each api: the proxy saw both.
    for (const backend of lb.backends) {
      // (the connection error is a refusal, or a reset when a poll's kept-alive connection closed)
      expect(backend.transitions.slice(0, 3)).toEqual(['200', '503', expect.stringMatching(/^(ECONN|UND_ERR)/)]);
      expect(backend.transitions.at(-1)).toBe('200');
    }
    const failed = answers.filter((a) => a.status !== 201);
    expect([failed.length, failed.slice(0, 3)]).toEqual([0, []]);
    // The drain did its work: the proxy had taken each api out on its 503 before its listener closed,
    // so no request met a refused connection (without the drain, some do, and only a retry saves them).
    if (!viaNginx) expect(lb.stats).toMatchObject({ retried: 0, errors: {} });
    expect(answers.length).toBeGreaterThan(30);

    // The log: one ProductRegistered per acknowledged registration, with its sku and its product's stream.
    const out = path.join(dataDir, 'registered.ndjson');
    const exported = spawnSync(
      process.execPath,
      ['dist/bin/rentlog.js', 'export', '--type', 'ProductRegistered', '--out', out],
      { cwd: PROJECT_ROOT, env: childEnv({ ...env, DATA_DIR: dataDir }), encoding: 'utf8' },
    );
    expect([exported.status, exported.stderr]).toEqual([0, '']);
    const events = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { streamId: string; data: { sku: string } });
    const registered = events.map((e) => `${e.data.sku} ${e.streamId}`).sort();
    const acknowledged = answers.map((a) => `${a.sku} product-${a.productId}`).sort();
    expect(registered).toEqual(acknowledged);
    process.stdout.write(
      `rolling restart${viaNginx ? ' through nginx' : ''}: ${((Date.now() - t0) / 1000).toFixed(1)} s (${(booted / 1000).toFixed(1)} s to start; ${phases.join(', ')}), ${answers.length} commands, all 201; proxy ${JSON.stringify(lb.stats)}; readiness ${JSON.stringify(lb.backends.map((b) => b.transitions))}\n`,
    );
  }, 180_000);
});
