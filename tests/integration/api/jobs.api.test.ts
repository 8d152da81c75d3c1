/**
 * GET /v1/jobs and POST /v1/jobs/{id}/retry on the real app: a job that always fails ends dead after
 * its attempts, shows in the list, the dashboard and /metrics, and an admin's retry runs it again.
 * The clock is the test's: retries come due when the test moves it, never by waiting.
 */
import { TestClock } from '../../support/test-clock.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const clock = new TestClock('2030-03-04T10:00:20.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      JOBS_RETRY_ATTEMPTS: '3',
      JOBS_RETRY_BASE_MS: '1000',
      JOBS_RETRY_MAX_MS: '60000',
      SHOP_TIMEZONE: 'Europe/Berlin',
    },
    { clock },
  );
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
const retry = (id: string) =>
  t.app.inject({ method: 'POST', url: `/v1/jobs/${id}/retry`, headers: t.authAs(['admin']) });

/** A job no handler takes: every attempt fails ("no handler for the job type"). */
const enqueueUnhandled = (id: string) =>
  t.infra.jobs.enqueue(
    { id, type: 'test.nobody-handles-this', queue: 'notifications', payload: { n: 1 }, runAt: clock.now() },
    clock.now(),
  );

/** Every attempt that is due, then the next ones as the clock reaches them. */
async function runAttempts(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.worker.jobs.drain();
    clock.advance(60_000);
  }
}

describe('GET /v1/jobs', () => {
  it('answers queues, schedules, workers and dead jobs to admins', async () => {
    await t.worker.jobs.drain();
    const res = await get('/v1/jobs', t.authAs(['admin']));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual([
      'notifications',
      'payments',
      'reports',
      'maintenance',
    ]);
    for (const q of body.queues) expect(q).toEqual({ name: q.name, pending: 0, running: 0, failed: 0 });
    const byName = Object.fromEntries(body.schedules.map((s: { name: string }) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual([
      'audit-checkpoint',
      'audit-verify',
      'erase-inactive-customers',
      'expire-holds',
      'notification-reminders',
      'overdue-notices',
      'purge-done-jobs',
      'purge-idempotency-keys',
      'purge-oidc-states',
      'reconcile-payments',
      'release-orphan-holds',
      'report-snapshot',
    ]);
    // Fired at start (the latest slot due), so it has run; the next slot is the next minute.
    expect(byName['expire-holds']).toEqual({
      name: 'expire-holds',
      cron: '* * * * *',
      queue: 'maintenance',
      enabled: true,
      lastRunAt: '2030-03-04T10:00:20.000Z',
      lastStatus: 'succeeded',
      nextRunAt: '2030-03-04T10:01:00.000Z',
    });
    // 03:00 in Berlin is 02:00 UTC in March.
    expect(byName['erase-inactive-customers']).toMatchObject({ enabled: false, nextRunAt: null, lastRunAt: null });
    expect(byName['purge-done-jobs'].nextRunAt).toBe('2030-03-05T02:30:00.000Z');
    // 00:05 in Berlin; its latest slot (the day before's) fired at start, on the reports queue.
    expect(byName['report-snapshot']).toMatchObject({
      queue: 'reports',
      lastStatus: 'succeeded',
      nextRunAt: '2030-03-04T23:05:00.000Z',
    });
    // Daily at the shop's opening (SHOP_OPENS_AT, default 09:00 in Berlin: 08:00 UTC in March), on the notifications queue.
    expect(byName['overdue-notices']).toMatchObject({
      cron: '0 9 * * *',
      queue: 'notifications',
      nextRunAt: '2030-03-05T08:00:00.000Z',
    });
    expect(byName['audit-checkpoint']).toMatchObject({ enabled: false, nextRunAt: null });
    expect(body.workers).toEqual([
      { workerId: t.infra.processes.self.id, host: expect.any(String), lastHeartbeatAt: expect.any(String) },
    ]);
    expect(body.failed).toEqual([]);
  });

  it.each([['staff'], ['analyst'], ['auditor'], ['customer']] as const)('refuses %s (403)', async (role) => {
    const res = await get('/v1/jobs', t.authAs([role]));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });

  it('refuses anonymous callers (401)', async () => {
    expect((await get('/v1/jobs', {})).statusCode).toBe(401);
  });
});

describe('a job that always fails', () => {
  const id = 'test-unhandled-1';
  it('ends dead after its attempts, with its last error, in the list, the dashboard and /metrics', async () => {
    await enqueueUnhandled(id);
    await runAttempts(3);
    const job = await t.infra.jobs.get(id);
    expect(job).toMatchObject({ state: 'dead', attempts: 3 });
    const body = (await get('/v1/jobs', t.authAs(['admin']))).json();
    expect(body.failed).toEqual([
      {
        jobId: id,
        type: 'test.nobody-handles-this',
        queue: 'notifications',
        attempts: 3,
        lastError: 'No handler for the job type test.nobody-handles-this in this worker',
        failedAt: job!.finishedAt!.toISOString(),
      },
    ]);
    expect(body.queues[0]).toEqual({ name: 'notifications', pending: 0, running: 0, failed: 1 });

    await t.infra.jobs.enqueue(
      { id: 'test-later', type: 'test.later', queue: 'reports', payload: {}, runAt: new Date('2031-01-01') },
      clock.now(),
    );
    const dashboard = (await get('/v1/dashboard', t.authAs(['staff']))).json();
    expect(dashboard.jobs.failed).toBe(1);
    expect(dashboard.jobs.pending).toBeGreaterThanOrEqual(1);

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^rentlog_job_queue_failed\{queue="notifications"\} 1$/m);
    expect(metrics).toMatch(/^rentlog_job_queue_depth\{queue="reports"\} [1-9]/m);
    expect(metrics).toMatch(/^rentlog_jobs\{state="failed"\} 1$/m);
    expect(metrics).toMatch(/^rentlog_job_retries_total\{queue="notifications",type="test.nobody-handles-this"\} 2$/m);
    expect(metrics).toMatch(
      /^rentlog_job_duration_seconds_count\{queue="notifications",type="test.nobody-handles-this",outcome="dead"\} 1$/m,
    );
  });

  it('runs again from its first attempt when an admin retries it (202), and ends dead again', async () => {
    const res = await retry(id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ jobId: id, state: 'pending' });
    await t.worker.jobs.drain();
    expect(await t.infra.jobs.get(id)).toMatchObject({ state: 'pending', attempts: 1 });
    await runAttempts(3);
    expect(await t.infra.jobs.get(id)).toMatchObject({ state: 'dead', attempts: 3 });
  });

  it('is a 409 problem to retry a job that is not dead, a 404 for an unknown one, a 400 for no job id', async () => {
    const pending = await retry('test-later');
    expect(pending.statusCode).toBe(409);
    expect(pending.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pending.json()).toMatchObject({ status: 409, code: 'JOB_NOT_DEAD' });
    expect((await retry('no-such-job')).json()).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND' });
    expect((await retry('not%20an%20id')).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('may be retried by admins only', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/jobs/${id}/retry`, headers: t.authAs(['staff']) });
    expect(res.statusCode).toBe(403);
  });
});
