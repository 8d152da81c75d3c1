/**
 * The job engine over a real job store (SQLite), driven by a test clock: no test waits for time to
 * pass, it moves the clock and asks the engine to run what is due (`drain`). Two engines on one store
 * are two workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobStore } from '../../../application/ports/job-store.port.js';
import type { JobHandler, QueueName, Schedule } from '../../../application/shared/job.js';
import { backoffMs } from '../../../infrastructure/jobs/backoff.js';
import { JobEngine, type JobEngineOptions, type Timers } from '../../../infrastructure/jobs/job-engine.js';
import { SqliteJobStore } from '../../../infrastructure/jobs/sqlite.job-store.js';
import { silentLogger } from '../../support/silent-logger.js';
import { TestClock } from '../../support/test-clock.js';

const concurrency: Record<QueueName, number> = { notifications: 2, payments: 1, reports: 1, maintenance: 1 };
/** Timers that never fire: a frozen (or killed) worker renews no lease. */
const frozen: Timers = { setTimeout: () => null, clearTimeout: () => undefined };

let dir: string;
let store: JobStore;
let clock: TestClock;
const engines: JobEngine[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-engine-'));
  store = new SqliteJobStore(path.join(dir, 'jobs.db'));
  clock = new TestClock('2030-01-07T08:00:30.000Z');
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop(0);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function engine(options: Partial<JobEngineOptions> & { workerId: string }): JobEngine {
  const e = new JobEngine({
    store,
    handlers: [],
    schedules: [],
    clock,
    logger: silentLogger,
    timeZone: 'Europe/Berlin',
    concurrency,
    leaseMs: 30_000,
    pollMs: 1000,
    retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 },
    ...options,
  });
  engines.push(e);
  return e;
}

const enqueue = (id: string, type: string, queue: QueueName = 'notifications') =>
  store.enqueue({ id, type, queue, payload: { orderId: 'o-1' }, runAt: clock.now() }, clock.now());

describe('retries', () => {
  it('retries a failing job with growing delays, then keeps it dead with its last error; a retry runs it again', async () => {
    let calls = 0;
    const failing: JobHandler = {
      type: 'always.fails',
      queue: 'notifications',
      handle: async () => {
        calls++;
        throw new Error(`refused (${calls})`);
      },
    };
    let roll = 0;
    const randoms = [0.9, 0.1, 0.7, 0.3, 1, 0];
    const w = engine({ workerId: 'w1', handlers: [failing], random: () => randoms[roll++ % randoms.length] });
    await enqueue('job-1', 'always.fails');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await w.drain();
      const job = (await store.get('job-1'))!;
      expect(job.attempts).toBe(attempt);
      if (attempt === 4) break;
      expect(job).toMatchObject({ state: 'pending', lastError: `refused (${attempt})` });
      delays.push(job.runAt.getTime() - clock.now().getTime());
      clock.advance(delays[delays.length - 1] - 1);
      await w.drain(); // not due yet: nothing runs a millisecond early
      expect(calls).toBe(attempt);
      clock.advance(1);
    }
    expect(delays.length).toBe(3);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(await store.get('job-1')).toMatchObject({ state: 'dead', attempts: 4, lastError: 'refused (4)' });
    clock.advance(3_600_000);
    await w.drain();
    expect(calls).toBe(4);

    expect(await store.retry('job-1', clock.now())).toBe('retried');
    await w.drain();
    expect(calls).toBe(5);
    expect(await store.get('job-1')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'refused (5)' });
  });

  it('takes the attempts from the handler, then from the configuration for its type', async () => {
    const handler: JobHandler = {
      type: 'twice',
      queue: 'payments',
      retry: { attempts: 2 },
      handle: () => Promise.reject(new Error('no')),
    };
    const fromHandler = engine({ workerId: 'w1', handlers: [handler], random: () => 0 });
    await enqueue('a', 'twice', 'payments');
    await fromHandler.drain();
    clock.advance(60_000);
    await fromHandler.drain();
    expect((await store.get('a'))?.state).toBe('dead');

    const configured = engine({ workerId: 'w2', handlers: [handler], retryByType: { twice: { attempts: 1 } } });
    await enqueue('b', 'twice', 'payments');
    await configured.drain();
    expect(await store.get('b')).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('backs off exponentially with equal jitter, up to the maximum', () => {
    const policy = { attempts: 10, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});

describe('several workers on one store', () => {
  it('runs each schedule slot once, whichever worker fires it', async () => {
    const runs: string[] = [];
    const everyMinute = (): Schedule => ({
      name: 'tick',
      cron: '* * * * *',
      queue: 'maintenance',
      run: async (slot) => {
        runs.push(slot.id);
        return { at: slot.at.toISOString() };
      },
    });
    const [a, b] = [
      engine({ workerId: 'a', schedules: [everyMinute()] }),
      engine({ workerId: 'b', schedules: [everyMinute()] }),
    ];
    for (let minute = 0; minute < 5; minute++) {
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      clock.advance(60_000);
    }
    expect(runs).toEqual([
      'tick@2030-01-07T08:00:00.000Z',
      'tick@2030-01-07T08:01:00.000Z',
      'tick@2030-01-07T08:02:00.000Z',
      'tick@2030-01-07T08:03:00.000Z',
      'tick@2030-01-07T08:04:00.000Z',
    ]);
  });

  it('fires cron slots in the shop time zone, and none of a schedule configured off', async () => {
    const runs: string[] = [];
    const atNine: Schedule = {
      name: 'opening',
      cron: '0 9 * * *',
      queue: 'reports',
      run: async (slot) => runs.push(slot.at.toISOString()),
    };
    const off: Schedule = { ...atNine, name: 'off', enabled: false, run: async () => runs.push('off') };
    const w = engine({ workerId: 'w', schedules: [atNine, off] });
    clock.set('2030-01-07T07:59:59.000Z'); // 08:59:59 in Berlin (UTC+1)
    await w.drain();
    expect(runs).toEqual(['2030-01-06T08:00:00.000Z']); // the latest slot due, caught up at start
    clock.set('2030-01-07T08:00:00.000Z');
    await w.drain();
    expect(runs).toEqual(['2030-01-06T08:00:00.000Z', '2030-01-07T08:00:00.000Z']);
  });

  it('runs again a job whose worker died: another worker takes it once the lease ran out', async () => {
    let release: () => void = () => undefined;
    const runs: string[] = [];
    const handler = (worker: string): JobHandler => ({
      type: 'mail.send',
      queue: 'notifications',
      handle: async (_payload, context) => {
        runs.push(`${worker}#${context.attempt}`);
        if (worker === 'dying') await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const dying = engine({ workerId: 'dying', handlers: [handler('dying')], timers: frozen });
    const other = engine({ workerId: 'other', handlers: [handler('other')] });
    await enqueue('mail-1', 'mail.send');
    const stuck = dying.drain(); // never ends while its handler hangs
    await new Promise((r) => setImmediate(r));
    expect(await store.get('mail-1')).toMatchObject({ state: 'running', leaseOwner: 'dying' });

    clock.advance(29_999);
    await other.drain();
    expect(runs).toEqual(['dying#1']);
    clock.advance(1);
    await other.drain();
    expect(runs).toEqual(['dying#1', 'other#2']);
    expect(await store.get('mail-1')).toMatchObject({ state: 'done', attempts: 2 });

    release(); // the first worker wakes up: it can change nothing any more
    await stuck;
    expect(await store.get('mail-1')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('buries a job whose lease ran out on its last attempt (a job that kills its worker)', async () => {
    const hang: JobHandler = {
      type: 'poison',
      queue: 'reports',
      retry: { attempts: 1 },
      handle: () => new Promise(() => undefined),
    };
    const dying = engine({ workerId: 'dying', handlers: [hang], timers: frozen });
    await enqueue('p', 'poison', 'reports');
    void dying.drain();
    await new Promise((r) => setImmediate(r));
    clock.advance(30_000);
    await engine({ workerId: 'other', handlers: [hang] }).drain();
    const job = await store.get('p');
    expect(job).toMatchObject({ state: 'dead', attempts: 2 });
    expect(job?.lastError).toMatch(/lease ran out on attempt 1/);
  });

  it("respects each queue's concurrency", async () => {
    let active = 0;
    let most = 0;
    const slow: JobHandler = {
      type: 'slow',
      queue: 'notifications',
      handle: async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setImmediate(r));
        active--;
      },
    };
    const w = engine({ workerId: 'w', handlers: [slow] });
    for (let i = 0; i < 6; i++) await enqueue(`s${i}`, 'slow');
    await w.drain();
    expect(most).toBe(concurrency.notifications);
    for (let i = 0; i < 6; i++) expect((await store.get(`s${i}`))?.state).toBe('done');
  });
});

describe('time limits', () => {
  /** Timers that fire only when the test says so (no real time passes). */
  function manualTimers() {
    const pending = new Map<number, { run: () => void; ms: number }>();
    let next = 0;
    const timers: Timers = {
      setTimeout: (run, ms) => (pending.set(++next, { run, ms }), next),
      clearTimeout: (handle) => void pending.delete(handle as number),
    };
    const fire = (ms: number) => {
      for (const [id, timer] of [...pending]) {
        if (timer.ms !== ms) continue;
        pending.delete(id);
        timer.run();
      }
    };
    return { timers, fire, waiting: (ms: number) => [...pending.values()].filter((t) => t.ms === ms).length };
  }
  const ticks = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it("fails an attempt that outlives its type's time limit and retries it, so a hung send does not hold the queue", async () => {
    const { timers, fire, waiting } = manualTimers();
    let calls = 0;
    let aborted: unknown = null;
    const send: JobHandler = {
      type: 'hangs.once',
      queue: 'notifications',
      timeoutMs: 5000,
      handle: (_payload, context) => {
        calls++;
        if (calls > concurrency.notifications) return Promise.resolve('sent');
        context.signal?.addEventListener('abort', () => (aborted = context.signal?.reason));
        return new Promise(() => undefined); // never settles (a mail server that stopped answering)
      },
    };
    const w = engine({ workerId: 'w', handlers: [send], timers, random: () => 0 });
    for (let i = 0; i < 3; i++) await enqueue(`m${i}`, 'hangs.once');
    const drained = w.drain();
    await ticks(20);
    // Both slots of the queue hang; the third job waits behind them.
    expect(w.status().running.map((r) => r.jobId)).toEqual(['m0', 'm1']);
    expect(waiting(5000)).toBe(2);
    fire(5000);
    await ticks(20);
    expect(await store.get('m0')).toMatchObject({
      state: 'pending',
      attempts: 1,
      leaseOwner: null,
      lastError: 'timed out after 5000 ms (the attempt did not settle)',
    });
    expect(aborted).toBeInstanceOf(Error);
    // The slots are free again: the third job ran, and the timed-out ones run again once their backoff passed.
    expect(await store.get('m2')).toMatchObject({ state: 'done', attempts: 1 });
    expect(await Promise.race([drained.then(() => 'drained'), ticks(20).then(() => 'still running')])).toBe('drained');
    clock.advance(60_000);
    await w.drain();
    expect(await store.get('m0')).toMatchObject({ state: 'done', attempts: 2 });
    expect(await store.get('m1')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('bounds every attempt by the default limit when the handler names none, and clears the timer of one that settled', async () => {
    const { timers, fire, waiting } = manualTimers();
    const hang: JobHandler = { type: 'hangs', queue: 'payments', handle: () => new Promise(() => undefined) };
    const quick: JobHandler = { type: 'quick', queue: 'reports', handle: async () => 'ok' };
    const w = engine({ workerId: 'w', handlers: [hang, quick], timers, timeoutMs: 60_000, random: () => 0 });
    await enqueue('q', 'quick', 'reports');
    await w.drain();
    expect(waiting(60_000)).toBe(0);
    await enqueue('h', 'hangs', 'payments');
    const drained = w.drain();
    await ticks(20);
    expect(waiting(60_000)).toBe(1);
    fire(60_000);
    await drained;
    expect(await store.get('h')).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: expect.stringMatching(/timed out after 60000 ms/),
    });
  });
});

describe('shutdown', () => {
  it('lets a running job finish within the grace period', async () => {
    let finish: () => void = () => undefined;
    const handler: JobHandler = {
      type: 'short',
      queue: 'payments',
      handle: () => new Promise<void>((resolve) => (finish = resolve)),
    };
    const w = engine({ workerId: 'w', handlers: [handler] });
    await enqueue('j', 'short', 'payments');
    void w.drain();
    await new Promise((r) => setImmediate(r));
    const stopped = w.stop(60_000);
    finish();
    await stopped;
    expect(await store.get('j')).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('hands a job still running after the grace period back, so another worker runs it at once', async () => {
    const hang: JobHandler = { type: 'long', queue: 'payments', handle: () => new Promise(() => undefined) };
    const w = engine({ workerId: 'w', handlers: [hang] });
    await enqueue('j', 'long', 'payments');
    void w.drain();
    await new Promise((r) => setImmediate(r));
    await w.stop(0);
    expect(await store.get('j')).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null });
    let ran = false;
    await engine({
      workerId: 'next',
      handlers: [{ ...hang, handle: async () => (ran = true) }],
    }).drain();
    expect(ran).toBe(true);
    expect(await store.get('j')).toMatchObject({ state: 'done', attempts: 1 });
  });
});

describe('health', () => {
  it('says when it cannot claim jobs (the job store is gone), which the heartbeat reports as a worker not working', async () => {
    const w = engine({ workerId: 'w', timers: frozen });
    expect(w.status().claimError).toBeNull();
    await store.close();
    w.start();
    await new Promise((r) => setImmediate(r));
    expect(w.status().claimError).toMatch(/not open|closed/i);
    store = new SqliteJobStore(path.join(dir, 'jobs.db'));
  });
});
