/**
 * Tracing end to end: Rentlog started as a process (`start all`) with OTEL_EXPORTER_OTLP_ENDPOINT at a
 * real OTLP/HTTP receiver this test runs; a customer places an order, and one trace covers the HTTP
 * server span, the command, the append, the projection that applies OrderPlaced and the workflow that
 * reacts to it, each span under the right parent (the projector's and the worker's continue the trace
 * from the event's `traceparent`, and link to it), each role under its own service name; the server's
 * log lines of that request carry the trace id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually.js';
import { buildOnce, freePort, startBuilt, stop, type Started } from '../support/npm-start.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';

const ADMIN = { ADMIN_EMAIL: 'trace-admin@rentlog.example', ADMIN_PASSWORD: 'lantern-battery-staple-7' };
const today = () => new Date().toISOString().slice(0, 10);
const plusDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let receiver: OtlpReceiver;
  let app: Started;
  let dataDir: string;

  beforeAll(async () => {
    buildOnce();
    receiver = await startOtlpReceiver();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-tracing-'));
    app = await startBuilt(dataDir, await freePort(), {
      ...ADMIN,
      JWT_SECRET: 'trace-secret-trace-secret-trace-secret',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  }, 120_000);

  afterAll(async () => {
    if (app) expect(await stop(app)).toBe(0);
    await receiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${app.url}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const login = async (email: string, password: string) => {
    const res = await call('POST', '/v1/auth/login', null, { email, password });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };

  it('follows an order from the request through the command, the append, the projection and the workflow', async () => {
    const admin = await login(ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
    const product = await call('POST', '/v1/products', admin, {
      sku: 'TRC-1',
      name: 'Tent',
      category: 'events',
      dailyRate: { amount: 1500, currency: 'EUR' },
      deposit: { amount: 3000, currency: 'EUR' },
      stock: 2,
    });
    expect(product.status).toBe(201);
    expect((await call('POST', '/v1/auth/register', null, trader)).status).toBe(201);
    const customer = await login(trader.email, trader.password);
    const placed = await call('POST', '/v1/orders', customer, {
      rentalStart: today(),
      rentalEnd: plusDays(1),
      items: [{ productId: product.body.productId, quantity: 1 }],
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;

    const server = await eventually(
      () => receiver.spans.find((s) => s.kind === SPAN_KIND.server && s.name === 'POST /v1/orders'),
      Boolean,
      15_000,
      100,
    );
    const inTrace = () => receiver.spans.filter((s) => s.traceId === server!.traceId);
    const consumer = (group: string) =>
      inTrace().find((s) => s.kind === SPAN_KIND.consumer && s.attributes['messaging.consumer.group.name'] === group);
    await eventually(
      () => [consumer('orders'), consumer('workflow:notifications')],
      (found) => found.every(Boolean),
      15_000,
      100,
    );
    const spans = inTrace();
    const one = (predicate: (s: ReceivedSpan) => boolean) => {
      const found = spans.filter(predicate);
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(server).toMatchObject({ service: 'rentlog-api', attributes: { 'http.route': '/v1/orders' } });
    expect(server!.parentSpanId).toBeUndefined();

    // The command path: the order's own decision under the request (the product's hold is another).
    const command = one((s) => s.name === 'command PlaceOrder');
    expect(command).toMatchObject({ service: 'rentlog-api', kind: SPAN_KIND.internal, parentSpanId: server!.spanId });
    expect(command.attributes['rentlog.stream']).toBe(`order-${orderId}`);
    expect(spans.some((s) => s.name === 'command HoldUnits' && s.parentSpanId === server!.spanId)).toBe(true);

    // The append under the command: the producer whose context OrderPlaced carries.
    const append = one((s) => s.kind === SPAN_KIND.producer && s.parentSpanId === command.spanId);
    expect(append).toMatchObject({
      name: 'append order',
      service: 'rentlog-api',
      attributes: { 'messaging.destination.name': `order-${orderId}`, 'messaging.operation.type': 'send' },
    });

    // The projector and the worker continue the trace: children of the append, linked to it.
    for (const [group, service] of [
      ['orders', 'rentlog-projector'],
      ['workflow:notifications', 'rentlog-worker'],
    ]) {
      const span = one(
        (s) =>
          s.kind === SPAN_KIND.consumer &&
          s.attributes['messaging.consumer.group.name'] === group &&
          s.attributes['rentlog.event.type'] === 'OrderPlaced',
      );
      expect(span).toMatchObject({
        name: `process ${group}`,
        service,
        parentSpanId: append.spanId,
        links: [{ traceId: server!.traceId, spanId: append.spanId }],
        attributes: { 'messaging.operation.type': 'process', 'messaging.destination.name': `order-${orderId}` },
      });
    }

    // The server's log lines of that request carry the trace id, the access line among them.
    const lines = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLine = lines.find((l) => l.message === 'request' && l.method === 'POST' && l.url === '/v1/orders');
    expect(requestLine).toMatchObject({ trace_id: server!.traceId });
    expect(typeof requestLine!.span_id).toBe('string');
    const ofRequest = lines.filter((l) => l.requestId === requestLine!.requestId);
    expect(ofRequest.length).toBeGreaterThan(0);
    expect(ofRequest.filter((l) => l.trace_id !== server!.traceId)).toEqual([]);
    expect(receiver.rejected).toBe(0);
  }, 60_000);
});

const trader = { email: 'trace-customer@example.com', password: 'spruce-meadow-pass-1', name: 'Tracy' };
