import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { SandboxFaults } from '../../../infrastructure/payments/sandbox-faults.js';
import { SandboxGateway } from '../../../infrastructure/payments/sandbox.gateway.js';
import { signWebhook, verifyWebhookSignature } from '../../../infrastructure/payments/webhook-signature.js';
import { eventually, sleep } from '../../support/eventually.js';
import { eur } from '../../support/fixtures.js';
import { silentLogger as logger } from '../../support/silent-logger.js';
import { TestClock } from '../../support/test-clock.js';

const secret = 's'.repeat(32);
const clockAt = (seconds: number) => new TestClock(new Date(seconds * 1000).toISOString());

describe('webhook signature', () => {
  const body = Buffer.from('{"id":"evt_1","type":"payment.authorized"}');
  const t = 1_760_000_000;

  it('verifies its own signature over the raw bytes', () => {
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), t)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body.toString('utf8'), t), t + 300)).toEqual({
      ok: true,
    });
  });

  it.each([
    ['missing', undefined],
    ['missing', ''],
    ['malformed', 'garbage'],
    ['malformed', `t=${t},v1=abc`],
    ['malformed', `v1=${'0'.repeat(64)},t=${t}`],
    ['mismatch', signWebhook('another secret, also long', body, t)],
    ['mismatch', signWebhook(secret, Buffer.from('{"id":"evt_2","type":"payment.authorized"}'), t)],
    ['mismatch', signWebhook(secret, body, t).replace(`t=${t}`, `t=${t + 1}`)],
    ['stale', signWebhook(secret, body, t - 301)],
    ['stale', signWebhook(secret, body, t + 301)],
  ])('refuses a %s signature (%s)', (reason, header) => {
    expect(verifyWebhookSignature(secret, body, header, t)).toEqual({ ok: false, reason });
  });
});

describe('SandboxGateway', () => {
  let server: FastifyInstance;
  let received: Array<{ body: string; signature: string | undefined }>;
  let answer: number[];
  let url: string;

  beforeEach(async () => {
    received = [];
    answer = [];
    server = Fastify();
    server.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    server.post('/hook', async (request, reply) => {
      received.push({
        body: request.body as string,
        signature: request.headers['rentlog-signature'] as string | undefined,
      });
      return reply.code(answer.shift() ?? 200).send({ ok: true });
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/hook`;
  });
  afterEach(() => server.close());

  const gateway = (options: { webhookUrl?: string; webhookDelayMs?: number } = {}) =>
    new SandboxGateway({
      secret,
      webhookUrl: url,
      clock: clockAt(1_760_000_000),
      logger,
      webhookDelayMs: 0,
      retryBaseMs: 10,
      attempts: 3,
      ...options,
    });

  it('answers deterministically per test payment method', async () => {
    const g = gateway();
    const request = { paymentId: 'p1', amount: eur(100) };
    expect(await g.authorize({ ...request, paymentMethod: 'pm_card_ok' })).toEqual({
      outcome: 'authorized',
      providerRef: expect.stringMatching(/^sbx_auth_/),
    });
    expect(await g.authorize({ ...request, paymentMethod: 'pm_card_declined' })).toEqual({
      outcome: 'declined',
      reason: 'card_declined',
    });
    expect(await g.authorize({ ...request, paymentMethod: 'pm_card_whatever' })).toMatchObject({ outcome: 'declined' });
    expect(await g.capture({ paymentId: 'p1', providerRef: 'r', amount: eur(100), idempotencyKey: 'k1' })).toEqual({
      providerRef: expect.any(String),
    });
    expect(await g.refund({ paymentId: 'p1', providerRef: 'r', amount: eur(100), idempotencyKey: 'k2' })).toEqual({
      providerRef: expect.any(String),
    });
    await g.close();
    expect(received).toHaveLength(0);
  });

  it('answers the status of a payment by its rule, the same every time and from a fresh instance', async () => {
    const g = gateway();
    const asked = (paymentMethod: string, amount: number, paymentId = 'p1') =>
      g.status({ paymentId, amount: eur(amount), paymentMethod });
    const authorized = await asked('pm_card_async', 2500);
    expect(authorized).toEqual({
      outcome: 'authorized',
      providerRef: expect.stringMatching(/^sbx_auth_/),
      amount: eur(2500),
    });
    expect(await gateway().status({ paymentId: 'p1', amount: eur(2500), paymentMethod: 'pm_card_async' })).toEqual(
      authorized,
    );
    expect(await asked('pm_card_async', 2500, 'p2')).not.toEqual(authorized);
    expect(await asked('pm_card_async', 2513)).toEqual({ outcome: 'declined', reason: 'card_declined' });
    expect(await asked('pm_card_ok', 100)).toMatchObject({ outcome: 'authorized' });
    expect(await asked('pm_card_declined', 100)).toEqual({ outcome: 'declined', reason: 'card_declined' });
    expect(await asked('pm_card_whatever', 100)).toEqual({ outcome: 'declined', reason: 'unknown_payment_method' });
    await g.close();
  });

  it('moves money once per idempotency key, and answers injected faults (a timeout after doing it)', async () => {
    const faults = new SandboxFaults();
    const g = new SandboxGateway({ secret, webhookUrl: url, clock: clockAt(1_760_000_000), logger, faults });
    const capture = (idempotencyKey: string) =>
      g.capture({ paymentId: 'p1', providerRef: 'r', amount: eur(100), idempotencyKey });
    faults.fail('capture', 'timeout', 'unavailable', 'server_error');
    await expect(capture('k1')).rejects.toMatchObject({ name: 'PaymentGatewayError', kind: 'timeout' });
    await expect(capture('k1')).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(capture('k1')).rejects.toMatchObject({ kind: 'server_error' });
    const first = await capture('k1');
    expect(await capture('k1')).toEqual(first);
    expect(await capture('k2')).not.toEqual(first);
    expect(faults.calls.map((c) => [c.idempotencyKey, c.fault])).toEqual([
      ['k1', 'timeout'],
      ['k1', 'unavailable'],
      ['k1', 'server_error'],
      ['k1', null],
      ['k1', null],
      ['k2', null],
    ]);
    faults.failAlways('status', 'unavailable');
    await expect(g.status({ paymentId: 'p1', amount: eur(1), paymentMethod: 'pm_card_ok' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    faults.clear();
    await expect(g.status({ paymentId: 'p1', amount: eur(1), paymentMethod: 'pm_card_ok' })).resolves.toMatchObject({
      outcome: 'authorized',
    });
    await g.close();
  });

  it('answers pm_card_async pending, then posts a signed payment.authorized webhook', async () => {
    const g = gateway();
    const result = await g.authorize({ paymentId: 'p1', amount: eur(2500), paymentMethod: 'pm_card_async' });
    expect(result).toEqual({ outcome: 'pending', providerRef: expect.any(String) });
    await eventually(
      () => received.length,
      (n) => n === 1,
      2_000,
      10,
    );
    const [{ body, signature }] = received;
    expect(JSON.parse(body)).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'payment.authorized',
      created: 1_760_000_000,
      data: { paymentId: 'p1', amount: eur(2500), providerRef: (result as { providerRef: string }).providerRef },
    });
    expect(g.verifyWebhook(Buffer.from(body), signature)).toEqual({ ok: true });
    await g.close();
  });

  it('posts payment.failed for a pm_card_async amount ending in 13, as its status says', async () => {
    const g = gateway();
    expect(await g.authorize({ paymentId: 'p9', amount: eur(8013), paymentMethod: 'pm_card_async' })).toMatchObject({
      outcome: 'pending',
    });
    await eventually(
      () => received.length,
      (n) => n === 1,
      2_000,
      10,
    );
    expect(JSON.parse(received[0].body)).toMatchObject({
      type: 'payment.failed',
      data: { paymentId: 'p9', amount: eur(8013), reason: 'card_declined' },
    });
    await g.close();
  });

  it('retries a refused delivery with the same event id, and gives up without throwing', async () => {
    answer = [503, 500];
    expect(await gateway().deliver({ type: 'payment.authorized', data: { paymentId: 'p1', amount: eur(1) } })).toBe(
      true,
    );
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    const unreachable = gateway({ webhookUrl: 'http://127.0.0.1:1/hook' });
    await expect(
      unreachable.deliver({ type: 'payment.authorized', data: { paymentId: 'p1', amount: eur(1) } }),
    ).resolves.toBe(false);
  });

  it('sends nothing once closed', async () => {
    const g = gateway({ webhookDelayMs: 100 });
    await g.authorize({ paymentId: 'p1', amount: eur(1), paymentMethod: 'pm_card_async' });
    await g.close();
    await sleep(200);
    expect(received).toHaveLength(0);
  });
});
