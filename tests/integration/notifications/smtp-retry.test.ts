/**
 * End to end through the jobs engine with SMTP_URL set: a real SMTP server (smtp-server) that refuses
 * a customer's mail three times (421, for now) takes it on the fourth attempt; the attempts come
 * after growing delays (the engine's exponential backoff, here a fast policy), the notification
 * records each failed attempt and ends `sent` with four attempts, and the server got the mail once,
 * with the notification's Message-ID. Nothing goes to the outbox folder when SMTP is configured.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { outboxDir } from '../../../infrastructure/mail/outbox-folder.mailer.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const attempts: number[] = [];
const received: string[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onMailFrom(_address, _session, callback) {
    attempts.push(Date.now());
    callback(attempts.length <= 3 ? Object.assign(new Error('Busy, try later'), { responseCode: 421 }) : undefined);
  },
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      callback();
    });
  },
});

let t: TestApp;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  t = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SMTP_TIMEOUT_MS: '5000',
    HOLD_EXPIRY_NOTICE_SECONDS: '0',
    JOBS_POLL_MS: '50',
    JOBS_RETRY_POLICIES: 'notification.send=6/400/5000',
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('is refused three times, then sent on the fourth attempt after growing delays', async () => {
  const s = shop(t);
  const customerId = (await s.post('/v1/customers', { name: 'Sam Smtp', email: 'sam.smtp@example.com' })).json()
    .customerId as string;
  const product = await s.product();
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const placed = await s.post('/v1/orders', {
    customerId,
    rentalStart: day(3),
    rentalEnd: day(4),
    items: [{ productId: product, quantity: 1 }],
  });
  expect(placed.statusCode).toBe(201);
  const until = Date.now() + 20_000;
  let item: Record<string, unknown> | undefined;
  while (Date.now() < until) {
    item = (await s.get(`/v1/notifications?customerId=${customerId}`)).json().items[0];
    if (item?.status === 'sent') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(item).toMatchObject({ template: 'order-placed', status: 'sent', attempts: 4, to: 'sam.smtp@example.com' });
  expect(attempts).toHaveLength(4);
  // Equal jitter: the n-th retry waits at least half of 400 ms x 2^(n-1): 200, 400, 800 ms.
  const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
  gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(200 * 2 ** i - 5));
  expect(received).toHaveLength(1);
  expect(received[0]).toContain(`Message-ID: <${String(item!.notificationId)}@rentlog>`);
  expect(existsSync(outboxDir(t.config.dataDir))).toBe(false);
});
