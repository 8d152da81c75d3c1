import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';
import { DRAINING, type Draining } from '../../../api/http/platform/draining.js';

/**
 * /health/ready tells the truth about what serves the api: both stores, the writes (tests/faults
 * proves fail-stop and the full disk with real I/O errors), the read models' lag, and a live,
 * working projector and worker by their heartbeats. /health/live stays the process answering.
 */
const clock = new TestClock('2030-01-01T09:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

const ready = () => t.app.inject({ method: 'GET', url: '/health/ready' });

it('is up with every check named: stores, writes, read models, projector and worker heartbeats', async () => {
  const res = await ready();
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({
    status: 'up',
    checks: {
      eventStore: { status: 'up' },
      writes: { status: 'up' },
      readStore: { status: 'up' },
      projections: { status: 'up' },
      projector: { status: 'up' },
      worker: { status: 'up' },
      audit: { status: 'up', verified: false }, // no verification has run yet
      shutdown: { status: 'up' },
    },
  });
});

it('is 503 with the reason when the projector and the worker have sent no heartbeat lately; live stays up', async () => {
  clock.advance(t.infra.processes.staleAfterMs + 1000); // as if both had died a while ago
  try {
    const res = await ready();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({
      status: 'down',
      checks: {
        writes: { status: 'up' },
        projector: { status: 'down', detail: 'no projector has sent a heartbeat in the last 15 s' },
        worker: { status: 'down', detail: 'no worker has sent a heartbeat in the last 15 s' },
      },
    });
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'up' });
  } finally {
    clock.set('2030-01-01T09:00:00.000Z');
  }
  expect((await ready()).statusCode).toBe(200);
});

it('is 503 when the projector runs but its read models stopped', async () => {
  await t.projector.stop();
  await t.infra.processes.beatNow();
  const res = await ready();
  expect(res.statusCode).toBe(503);
  expect(res.json().checks.projector).toMatchObject({ status: 'down' });
  expect(res.json().checks.projector.detail).toMatch(/^every projector reports a problem: stopped: /);
});

it('is 503 from the stop signal on (the process drains), while every other route still answers', async () => {
  t.app.get<Draining>(DRAINING).begin(new Date('2030-01-01T09:00:00.000Z'));
  const res = await ready();
  expect(res.statusCode).toBe(503);
  expect(res.json().checks.shutdown).toEqual({
    status: 'down',
    detail: 'shutting down since 2030-01-01T09:00:00.000Z: finishing the requests under way',
  });
  expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  expect((await t.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
});
