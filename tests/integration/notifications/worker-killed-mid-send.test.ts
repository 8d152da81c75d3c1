/**
 * A worker killed in the middle of a send (issue 10): Rentlog runs as a process of its own (`start
 * all`, from the sources) with SMTP_URL pointing at a real SMTP server (smtp-server) in the test. The
 * server takes the first message's DATA and never answers it (a slow server); while the worker waits
 * for that answer the test SIGKILLs the process. A new process on the same data takes the job up once
 * its lease ran out (JOBS_LEASE_SECONDS) and sends again; the server answers this time. The recipient
 * got the mail (twice: the first copy reached the server, its answer never reached the worker), both
 * with the notification's Message-ID, so a receiving side drops the repeat: SMTP gives at least once,
 * the Message-ID makes it once for whoever dedupes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort, startFromSource, stop, type Started } from '../../support/npm-start.js';
import { sleep } from '../../support/eventually.js';

interface Delivery {
  messageId: string;
  to: string;
  template: string;
}
const deliveries: Delivery[] = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
      deliveries.push({ messageId: header('Message-ID'), to: header('To'), template: header('X-Rentlog-Template') });
      // The first message is kept (delivered) but never answered: the sender waits for its 250.
      if (deliveries.length > 1) callback();
    });
  },
});

server.on('error', () => undefined); // the killed worker's connection drops mid-DATA

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-killed-send-'));
const running: Started[] = [];
const admin = { email: 'admin.killed@example.com', password: 'quartz-harbour-lantern-88' };
let env: Record<string, string>;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  env = {
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SMTP_TIMEOUT_MS: '120000',
    JOBS_LEASE_SECONDS: '5',
    JOBS_POLL_MS: '100',
    HOLD_EXPIRY_NOTICE_SECONDS: '0',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET: 'killed-send-test-jwt-secret-0123456789abcdef',
    // The killed process held the projections' leases too: the restarted one takes them once they expire.
    PROJECTION_LEASE_SECONDS: '2',
  };
});
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await stop(p);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async (base: string, method: string, url: string, body?: unknown, token?: string) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

it('sends again after the lease of the killed worker ran out, with the same Message-ID', async () => {
  const first = await startFromSource('all', dataDir, await freePort(), env);
  running.push(first);
  const email = `killed.${Date.now()}@example.com`;
  const registered = await call(first.url, 'POST', '/v1/auth/register', {
    email,
    password: 'violet-meadow-compass-71',
    name: 'Kim Killed',
  });
  expect(registered.status).toBe(201);
  expect((await call(first.url, 'POST', '/v1/auth/password-reset', { email })).status).toBe(202);

  // The reset mail is in the server's DATA phase, unanswered: kill the worker there.
  await until('the first mail held in DATA', () => (deliveries.length > 0 ? true : undefined)).catch((error: Error) => {
    // What the process said (its warnings and errors) is what tells why no mail came.
    const said = first
      .output()
      .split('\n')
      .filter((l) => /"level":"(warn|error)"/.test(l));
    throw new Error(`${error.message}; the process logged:\n${said.slice(-20).join('\n')}`);
  });
  expect(deliveries).toHaveLength(1);
  process.kill(first.pid, 'SIGKILL');
  await first.exited;

  // Restarted on the same data: the job is due again once its lease ran out, and is sent.
  const second = await startFromSource('all', dataDir, await freePort(), env);
  running.push(second);
  await until('the second delivery', () => (deliveries.length >= 2 ? true : undefined));

  const login = await call(second.url, 'POST', '/v1/auth/login', admin);
  expect(login.status).toBe(200);
  const token = String(login.body.accessToken);
  const notification = await until('the notification recorded as sent', async () => {
    const list = await call(second.url, 'GET', '/v1/notifications?limit=100', undefined, token);
    if (list.status !== 200) return undefined; // the read models catching up after the restart
    const items = list.body.items as Array<Record<string, unknown>>;
    return items.find((n) => n.template === 'password-reset' && n.status === 'sent');
  });
  // Attempt 1 died with its worker (its lease ran out), attempt 2 sent it.
  expect(notification).toMatchObject({ to: email, attempts: 2, status: 'sent' });
  const messageId = `<${String(notification.notificationId)}@rentlog>`;
  expect(deliveries).toEqual([
    { messageId, to: expect.stringContaining(email), template: 'password-reset' },
    { messageId, to: expect.stringContaining(email), template: 'password-reset' },
  ]);
  // A receiving side deduping by Message-ID has one mail.
  expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(1);
  const jobs = await call(second.url, 'GET', '/v1/jobs', undefined, token);
  expect(jobs.body.failed).toEqual([]);
  expect(await stop(second)).toBe(0);
}, 180_000);
