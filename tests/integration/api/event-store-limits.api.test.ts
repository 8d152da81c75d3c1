/**
 * What the event store refuses reaches clients as clear problems, never a 500: an append over the
 * store's limit is a 413 EVENTS_TOO_LARGE (the body was under BODY_LIMIT_BYTES, but a request's events
 * carry metadata too), a position the log never gave out is a 400 POSITION_INVALID.
 */
import { eur } from '../../support/fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // The smallest settings config allows: bodies up to 1024 bytes, appends up to 1100.
  t = await startTestApp({ BODY_LIMIT_BYTES: '1024', EVENTSTORE_MAX_APPEND_SIZE: '1100' });
});
afterAll(() => t.close());

describe('event store limits over HTTP', () => {
  it('answers 413 EVENTS_TOO_LARGE when the events of a request are over what one append may hold', async () => {
    const body = {
      sku: 'BIG-1',
      name: '🏠'.repeat(190), // 760 bytes in UTF-8
      category: 'x'.repeat(60),
      dailyRate: eur(1000),
      deposit: eur(5000),
      stock: 1,
    };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(1024);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: body,
      headers: t.authAs(['staff']),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'EVENTS_TOO_LARGE',
      status: 413,
      title: 'The change is too large to record',
    });
    const small = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: { ...body, sku: 'SMALL-1', name: 'Tent' },
      headers: t.authAs(['staff']),
    });
    expect(small.statusCode).toBe(201);
  });

  it('answers 400 POSITION_INVALID for an audit fromPosition the log never gave out', async () => {
    const head = await t.infra.events.headPosition();
    const auditor = t.authAs(['auditor']);
    const beyond = await t.app.inject({
      method: 'GET',
      url: `/v1/audit/events?fromPosition=${String(head + 1000n)}`,
      headers: auditor,
    });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json()).toMatchObject({ code: 'POSITION_INVALID', status: 400 });
    const fine = await t.app.inject({
      method: 'GET',
      url: `/v1/audit/events?fromPosition=${String(head)}`,
      headers: auditor,
    });
    expect(fine.statusCode).toBe(200);
  });
});
