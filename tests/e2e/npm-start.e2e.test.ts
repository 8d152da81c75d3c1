/**
 * End to end: start Rentlog the way the README does (`npm start`), talk HTTP to it, stop it with a
 * signal, start it again on the same data, and use the projections CLI on that data; then the whole
 * rental story with the api, projector and worker as separate processes, as the containers run. One
 * file, so the runs never overlap: `dist/` is built once; `npm start` finds it up to date and builds
 * nothing, and the other starts run `node dist/bin/rentlog.js` on that build.
 *
 * Every test owns its stores (ownStores): SQLite under its own DATA_DIR here, and where EVENTSTORE_URL
 * and MONGODB_URL are set (the CI workflow) the real servers under a stream prefix and a database of
 * its own; children never inherit store settings otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually.js';
import {
  alive,
  buildOnce,
  childEnv,
  freePort,
  npmStart,
  ownStores,
  startBuilt as start,
  startRole,
  stop,
  type Started,
} from '../support/npm-start.js';
import { PROJECT_ROOT } from '../support/run-node-script.js';

const E2E_SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e';
const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
const E2E_ADMIN = { ADMIN_EMAIL: 'e2e-admin@rentlog.example', ADMIN_PASSWORD: 'e2e-battery-staple-1' };
/** Signs in over HTTP as the bootstrap admin (ADMIN_EMAIL / ADMIN_PASSWORD): the only way to a token. */
async function signIn(
  url: string,
  email = E2E_ADMIN.ADMIN_EMAIL,
  password = E2E_ADMIN.ADMIN_PASSWORD,
): Promise<string> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
/** How long, and how often, the story polls the running app for what its worker and projector do. */
const WAIT_MS = 15_000;
const POLL_MS = 100;
beforeAll(buildOnce);
/** A file in dist/ that a rebuild (which replaces dist/) removes. */
const sentinel = path.join(PROJECT_ROOT, 'dist', '.e2e-sentinel');
afterAll(() => rmSync(sentinel, { force: true }));
/** Until no process has this pid. */
const gone = (pid: number) =>
  eventually(
    () => alive(pid),
    (running) => !running,
    5_000,
    POLL_MS,
  );

describe('npm start, end to end', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-e2e-'));
  const stores = ownStores();
  const startWithSecret = (port: number) =>
    start(dataDir, port, { ...stores.env, JWT_SECRET: E2E_SECRET, ...E2E_ADMIN });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await stores.cleanup();
  });

  it(`serves the catalog over HTTP, stops on a SIGTERM to npm, survives a restart, and answers the CLI (${stores.kind})`, async () => {
    const port = await freePort();
    let app = await npmStart(dataDir, port, { ...stores.env, JWT_SECRET: E2E_SECRET, ...E2E_ADMIN });
    try {
      // The first line Rentlog prints (after npm's own "> rentlog@... start" banner) is where it answers;
      // the start-up warnings come after it (they may still be on their way when the URL is read).
      const webhookWarning =
        'PAYMENTS_WEBHOOK_SECRET is not set: using a random key; only this process can verify payment webhooks';
      const [first, ...rest] = await eventually(
        () =>
          app
            .stdout()
            .split('\n')
            .filter((l) => l.trim() !== '' && !l.startsWith('>')),
        (lines) => lines.some((l) => l.includes(webhookWarning)),
        WAIT_MS,
        POLL_MS,
      );
      expect(JSON.parse(first)).toMatchObject({
        level: 'info',
        message: `Rentlog ${version} (api, projector, worker) listening on ${app.url} — docs at ${app.url}/docs`,
        url: app.url,
        docs: `${app.url}/docs`,
      });
      expect(Object.keys(JSON.parse(first)).slice(0, 2)).toEqual(['level', 'message']);
      expect(rest.map((l) => JSON.parse(l).message)).toContain(webhookWarning);
      const index = await fetch(`${app.url}/`);
      expect(index.status).toBe(200);
      expect(await index.json()).toMatchObject({ name: 'Rentlog', version, links: { docs: '/docs' } });
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(200);
      const created = await fetch(`${app.url}/v1/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await signIn(app.url)}` },
        body: JSON.stringify({
          sku: 'E2E-1',
          name: 'Party tent',
          category: 'events',
          dailyRate: { amount: 9900, currency: 'EUR' },
          deposit: { amount: 20000, currency: 'EUR' },
          stock: 2,
        }),
      });
      expect(created.status).toBe(201);
      const { productId, position } = (await created.json()) as { productId: string; position: string };
      const read = await fetch(`${app.url}/v1/products/${productId}`, { headers: { 'x-min-position': position } });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ productId, name: 'Party tent', stock: 2 });
      expect((await fetch(`${app.url}/docs/`)).status).toBe(200);
      const lines = app
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    } finally {
      // SIGTERM to npm's pid, as a supervisor sends it: npm forwards it to Rentlog and exits with its 0.
      expect(await stop(app)).toBe(0);
    }
    await gone(app.pid); // no Rentlog left behind

    app = await startWithSecret(port);
    let productId: string;
    try {
      const list = await fetch(`${app.url}/v1/products?q=tent`);
      const body = (await list.json()) as { items: Array<{ productId: string; sku: string }> };
      expect(body.items.map((p) => p.sku)).toEqual(['E2E-1']);
      productId = body.items[0].productId;

      // A script that only reads, beside the server running from dist/, does not rebuild dist/.
      writeFileSync(sentinel, 'a rebuild would remove this file');
      const status = spawnSync('npm', ['run', '--silent', 'projections', '--', 'status'], {
        cwd: PROJECT_ROOT,
        env: childEnv({ DATA_DIR: dataDir }),
        encoding: 'utf8',
      });
      expect(status.status).toBe(0);
      expect(status.stdout).toMatch(/^name\tversion\tposition/);
      expect(status.stdout).toMatch(/^products\t/m);
      expect(existsSync(sentinel)).toBe(true);
      expect((await fetch(`${app.url}/v1/products/${productId}`)).status).toBe(200);
    } finally {
      expect(await stop(app)).toBe(0);
    }

    const env = childEnv({ ...stores.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    const rebuild = spawnSync('node', ['dist/bin/rentlog.js', 'projections', 'rebuild', 'products'], {
      cwd: PROJECT_ROOT,
      env,
      encoding: 'utf8',
    });
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toMatch(/rebuilt products in/);
    const status = spawnSync('node', ['dist/bin/rentlog.js', 'projections', 'status'], {
      cwd: PROJECT_ROOT,
      env,
      encoding: 'utf8',
    });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^products\t\d+\t\d+\t0\t/m);

    app = await startWithSecret(port);
    try {
      expect((await fetch(`${app.url}/v1/products/${productId}`)).status).toBe(200);
    } finally {
      expect(await stop(app)).toBe(0);
    }
  }, 120_000);

  it('stops with one line when MongoDB cannot be reached (no stack, no JSON)', async () => {
    const result = spawnSync('node', ['dist/bin/rentlog.js', 'start', 'projector'], {
      cwd: PROJECT_ROOT,
      env: childEnv({
        DATA_DIR: dataDir,
        MONGODB_URL: `mongodb://127.0.0.1:${await freePort()}/?serverSelectionTimeoutMS=500`,
      }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^MongoDB \(MONGODB_URL\) cannot be reached: /),
    ]);
  });

  it('refuses a wrong setting with one line naming the variable', () => {
    const result = spawnSync('node', ['dist/bin/rentlog.js', 'start'], {
      cwd: PROJECT_ROOT,
      env: childEnv({ PORT: 'abc', DATA_DIR: dataDir }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid configuration: PORT="abc" must be integer/),
    ]);
  });

  it('refuses an ADMIN_PASSWORD the password policy refuses, with one line', () => {
    const result = spawnSync('node', ['dist/bin/rentlog.js', 'start'], {
      cwd: PROJECT_ROOT,
      env: childEnv({ PORT: '0', DATA_DIR: dataDir, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'Password1234!' }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: ADMIN_PASSWORD: The password is too common: it appears in lists of breached passwords',
    ]);
  });
});

describe('npm start and a Ctrl-C', () => {
  it('SIGINT to the process group (npm and Rentlog at once) stops Rentlog once, cleanly, and leaves nothing behind', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-signal-'));
    try {
      const app = await npmStart(dataDir, await freePort(), { JWT_SECRET: E2E_SECRET });
      process.kill(-app.child.pid!, 'SIGINT');
      expect(await app.exited).toBe(0);
      await gone(app.pid);
      const messages = app
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l).message);
      expect(messages.filter((m) => m === 'shutting down')).toHaveLength(1); // npm's forwarded copy is the same stop
      expect(messages.at(-1)).toBe('stopped');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the build behind the npm scripts', () => {
  it('is redone when a source changed', () => {
    writeFileSync(sentinel, 'a rebuild removes this file');
    const source = path.join(PROJECT_ROOT, 'bin', 'rentlog.ts');
    const now = new Date();
    utimesSync(source, now, now);
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(build.status).toBe(0);
    expect(existsSync(sentinel)).toBe(false);
    expect(existsSync(path.join(PROJECT_ROOT, 'dist', 'bin', 'rentlog.js'))).toBe(true);
  });
});

/*
 * The whole story over real HTTP, with the api, the projector and the worker as three processes (as
 * the containers run them, on the real stores in CI): register, order, pay the deposit
 * (asynchronously, through the sandbox provider's signed webhook), confirm, pick up, come back three
 * days later (all three restarted with their clock moved on), return late with a damage, pay the
 * balance, close.
 */
const storyEnv = {
  JWT_SECRET: 'story-secret-story-secret-story-secret',
  ADMIN_EMAIL: 'owner@rentlog.example',
  ADMIN_PASSWORD: 'story-staple-horse-9',
  PAYMENTS_WEBHOOK_SECRET: 'story-webhook-secret-1234',
};
const today = () => new Date().toISOString().slice(0, 10);
const plusDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** The three roles of one shop, started the way the containers start them; stopping stops all three. */
async function startShop(
  dataDir: string,
  port: number,
  env: Record<string, string>,
): Promise<{ url: string; opsUrls: string[]; stop(): Promise<Array<number | null>> }> {
  const [projectorOps, workerOps] = [await freePort(), await freePort()];
  const started: Started[] = [];
  try {
    started.push(await startRole('projector', dataDir, port, { ...env, OPS_PORT: String(projectorOps) }));
    started.push(await startRole('worker', dataDir, port, { ...env, OPS_PORT: String(workerOps) }));
    started.push(await startRole('api', dataDir, port, env));
  } catch (error) {
    await Promise.all(started.map((p) => stop(p)));
    throw error;
  }
  return {
    url: started[2].url,
    opsUrls: [projectorOps, workerOps].map((p) => `http://127.0.0.1:${p}`),
    stop: () => Promise.all(started.reverse().map((p) => stop(p))),
  };
}

describe('the rental story, end to end', () => {
  it(`runs a rental from registration to a closed order, api, projector and worker apart (${ownStores().kind})`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-story-'));
    const stores = ownStores();
    const port = await freePort();
    let app = await startShop(dataDir, port, { ...stores.env, ...storyEnv });
    for (const ops of app.opsUrls) {
      await eventually(
        () => fetch(`${ops}/health/ready`).then((r) => r.status),
        (status) => status === 200,
        WAIT_MS,
        POLL_MS,
      );
    }
    const call = async (
      method: string,
      url: string,
      token: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${app.url}${url}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const login = async (email: string, password: string) => {
      const res = await call('POST', '/v1/auth/login', null, { email, password });
      expect(res.status).toBe(200);
      return res.body.accessToken as string;
    };

    try {
      // The shop: the first admin comes from ADMIN_EMAIL; it hires a clerk, who lists a trailer.
      const admin = await login(storyEnv.ADMIN_EMAIL, storyEnv.ADMIN_PASSWORD);
      // The worker, a process of its own, runs the schedules from the job store the api reads.
      const jobs = await eventually(
        () => call('GET', '/v1/jobs', admin),
        (r) =>
          r.body?.workers?.length === 1 &&
          r.body.schedules.some(
            (j: { name: string; lastStatus: string }) => j.name === 'expire-holds' && j.lastStatus === 'succeeded',
          ),
        WAIT_MS,
        POLL_MS,
      );
      expect(jobs.body.failed).toEqual([]);
      const workerMetrics = await (await fetch(`${app.opsUrls[1]}/metrics`)).text();
      expect(workerMetrics).toMatch(
        /^rentlog_job_duration_seconds_count\{queue="maintenance",type="schedule:expire-holds",outcome="done"\} [1-9]/m,
      );
      expect(
        (
          await call('POST', '/v1/users', admin, {
            email: 'clerk@rentlog.example',
            password: 'counter-shift-123',
            name: 'Clerk',
            roles: ['staff'],
          })
        ).status,
      ).toBe(201);
      const staff = await login('clerk@rentlog.example', 'counter-shift-123');
      const product = await call('POST', '/v1/products', staff, {
        sku: 'TRL-1',
        name: 'Trailer',
        category: 'vehicles',
        dailyRate: { amount: 2000, currency: 'EUR' },
        deposit: { amount: 5000, currency: 'EUR' },
        stock: 1,
      });
      expect(product.status).toBe(201);
      const productId = product.body.productId as string;

      // A customer registers, signs in and orders the trailer for today and tomorrow.
      const registered = await call('POST', '/v1/auth/register', null, {
        email: 'ada@example.com',
        password: 'ada-password-123',
        name: 'Ada',
      });
      expect(registered.status).toBe(201);
      const ada = await login('ada@example.com', 'ada-password-123');
      const placed = await call(
        'POST',
        '/v1/orders',
        ada,
        { rentalStart: today(), rentalEnd: plusDays(1), items: [{ productId, quantity: 1 }] },
        { 'idempotency-key': 'ada-order-1' },
      );
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({
        status: 'reserved',
        rentalDays: 1,
        subtotal: { amount: 2000 },
        deposit: { amount: 5000 },
      });
      const orderId = placed.body.orderId as string;

      // The deposit: pm_card_async stays pending until the sandbox's signed webhook authorizes it.
      const payment = await call('POST', `/v1/orders/${orderId}/payments`, ada, {
        amount: { amount: 5000, currency: 'EUR' },
        purpose: 'deposit',
        paymentMethod: 'pm_card_async',
      });
      expect(payment.status).toBe(201);
      expect(payment.body.status).toBe('pending');
      const depositId = payment.body.paymentId as string;
      await eventually(
        () => call('GET', `/v1/payments/${depositId}`, ada),
        (r) => r.body?.status === 'authorized',
        WAIT_MS,
        POLL_MS,
      );
      const confirmed = await eventually(
        () => call('POST', `/v1/orders/${orderId}/confirm`, ada, {}),
        (r) => r.status === 200,
        WAIT_MS,
        POLL_MS,
      );
      expect(confirmed.body.status).toBe('confirmed');
      expect((await call('POST', `/v1/orders/${orderId}/pickup`, staff, {})).body.status).toBe('picked_up');
    } finally {
      expect(await app.stop()).toEqual([0, 0, 0]);
    }

    // Three days on (the same data, the processes' clocks moved): the trailer comes back late and dented.
    app = await startShop(dataDir, port, { ...stores.env, ...storyEnv, CLOCK_OFFSET_SECONDS: String(3 * 86_400) });
    try {
      const admin = await login(storyEnv.ADMIN_EMAIL, storyEnv.ADMIN_PASSWORD);
      const staff = await login('clerk@rentlog.example', 'counter-shift-123');
      const ada = await login('ada@example.com', 'ada-password-123');
      const [orderSummary] = (await call('GET', '/v1/orders?overdue=true', staff)).body.items;
      expect(orderSummary).toMatchObject({ status: 'picked_up', overdue: true });
      const orderId = orderSummary.orderId as string;
      const productId = orderSummary.items[0].productId as string;
      const returned = await call('POST', `/v1/orders/${orderId}/return`, staff, {
        damages: [{ productId, description: 'bent mudguard', charge: { amount: 3000, currency: 'EUR' } }],
      });
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({
        status: 'returned',
        lateFee: { amount: 6000 },
        damageCharges: { amount: 3000 },
        balance: { amount: 11000 },
      }); // 1 day + 2 late days x 150 % + damage

      // The balance: the deposit is captured, the rest paid by card, and the order closes at zero.
      const deposit = (await call('GET', `/v1/payments?orderId=${orderId}`, staff)).body.items[0];
      expect((await call('POST', `/v1/payments/${deposit.paymentId}/capture`, staff, {})).status).toBe(200);
      const rest = await call('POST', `/v1/orders/${orderId}/payments`, ada, {
        amount: { amount: 6000, currency: 'EUR' },
        purpose: 'fee',
        paymentMethod: 'pm_card_ok',
      });
      expect(rest.body.status).toBe('authorized');
      expect((await call('POST', `/v1/payments/${rest.body.paymentId}/capture`, staff, {})).status).toBe(200);
      const closed = await eventually(
        () => call('POST', `/v1/orders/${orderId}/close`, staff, {}),
        (r) => r.status === 200,
        WAIT_MS,
        POLL_MS,
      );
      expect(closed.body.status).toBe('closed');

      const order = await eventually(
        () => call('GET', `/v1/orders/${orderId}`, ada),
        (r) => r.body?.status === 'closed',
        WAIT_MS,
        POLL_MS,
      );
      expect(order.body).toMatchObject({ balance: { amount: 0 }, paid: { amount: 11000 } });
      expect(order.body.timeline.map((e: { type: string }) => e.type)).toEqual([
        'OrderPlaced',
        'OrderConfirmed',
        'OrderPickedUp',
        'OrderReturned',
        'OrderClosed',
      ]);
      const history = await call('GET', `/v1/audit/streams/order-${orderId}`, admin);
      expect(history.body.events.map((e: { type: string }) => e.type)).toContain('OrderPaymentUpdated');
    } finally {
      expect(await app.stop()).toEqual([0, 0, 0]);
      rmSync(dataDir, { recursive: true, force: true });
      await stores.cleanup();
    }
  }, 180_000);
});

describe('the seed (npm run seed runs it after a build)', () => {
  it(`fills an empty shop with orders in every state, says who signs in, and refuses a shop that is not empty (${ownStores().kind})`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-seed-'));
    const stores = ownStores();
    try {
      const env = childEnv({ ...stores.env, DATA_DIR: dataDir });
      delete env.LOG_LEVEL; // its own default: warnings only
      const seeded = spawnSync('node', ['dist/bin/rentlog.js', 'seed'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
      expect(seeded.status).toBe(0);
      const lines = seeded.stdout.trimEnd().split('\n');
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]); // no log lines among the answer
      expect(lines[0]).toMatch(new RegExp(`^Seeded a demo shop in ${dataDir} \\(\\d+\\.\\d s\\)`));
      expect(seeded.stdout).toMatch(/^ {2}8 products in 3 categories \(events, tools, vehicles\)$/m);
      expect(seeded.stdout).toMatch(/^ {2}5 customers, 3 of whom sign in$/m);
      expect(seeded.stdout).toMatch(/^ {2}7 orders, one in each state:$/m);
      expect(seeded.stdout).toMatch(/^Sign in with POST \/v1\/auth\/login, password demo-password-123 for everyone:$/m);
      for (const [email, role] of [
        ['ada@example.com', 'customer'],
        ['grace@example.com', 'customer'],
        ['alan@example.com', 'customer'],
        ['staff@example.com', 'staff'],
        ['analyst@example.com', 'analyst'],
        ['auditor@example.com', 'auditor'],
      ])
        expect(seeded.stdout).toMatch(new RegExp(`^ {2}${email} +${role} `, 'm'));
      expect(seeded.stderr).toBe('');
      const again = spawnSync('node', ['dist/bin/rentlog.js', 'seed'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(/not empty/);

      const port = await freePort();
      const app = await start(dataDir, port, { ...stores.env, JWT_SECRET: E2E_SECRET });
      try {
        const staff = await signIn(app.url, 'staff@example.com', 'demo-password-123');
        const res = await fetch(`${app.url}/v1/orders?limit=100`, { headers: { authorization: `Bearer ${staff}` } });
        const statuses = new Set(
          ((await res.json()) as { items: Array<{ status: string }> }).items.map((o) => o.status),
        );
        expect([...statuses].sort()).toEqual([
          'cancelled',
          'closed',
          'confirmed',
          'expired',
          'picked_up',
          'reserved',
          'returned',
        ]);
        // The check the CI workflow's compose job runs against the containers, run here against this app.
        const check = spawnSync('node', ['scripts/demo-check.mjs', app.url], {
          cwd: PROJECT_ROOT,
          env: childEnv({ DEMO_CHECK_TIMEOUT_MS: '30000' }),
          encoding: 'utf8',
        });
        expect([check.status, check.stderr]).toEqual([0, '']);
        expect(check.stdout).toMatch(/orders cancelled, closed, confirmed, expired, picked_up, reserved, returned/);
        for (const email of ['ada@example.com', 'staff@example.com']) {
          const login = await fetch(`${app.url}/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: 'demo-password-123' }),
          });
          expect(login.status).toBe(200);
        }
      } finally {
        expect(await stop(app)).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await stores.cleanup();
    }
  }, 120_000);
});
