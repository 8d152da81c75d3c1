/** The job store contract: what every adapter answers (run on SQLite always, on MongoDB when MONGODB_URL is set). */
import { randomUUID } from 'node:crypto';
import type { JobStore, NewJob } from '../../application/ports/job-store.port.js';
import type { QueueName } from '../../application/shared/job.js';

export interface JobStoreOpening {
  store: JobStore;
  /** Another connection to the same jobs, as another worker process has (the test closes it). */
  reopen: () => Promise<JobStore>;
  cleanup: () => Promise<void>;
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

export function jobStoreContract(name: string, open: () => Promise<JobStoreOpening>): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    let reopen: () => Promise<JobStore>;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, reopen, cleanup } = await open());
    });
    afterAll(() => cleanup());

    /** Each test has a queue of its own, so that claims never see another test's jobs. */
    let queue: QueueName;
    beforeEach(() => {
      queue = `q-${randomUUID().slice(0, 8)}` as QueueName;
    });
    const job = (overrides: Partial<NewJob> = {}): NewJob => ({
      id: `job-${randomUUID()}`,
      type: 'test.work',
      queue,
      payload: { orderId: 'o-1', n: 1 },
      runAt: at(0),
      ...overrides,
    });

    it('stores a job once per id: enqueueing the same id again changes nothing', async () => {
      const first = job();
      expect(await store.enqueue(first, at(0))).toEqual({ created: true });
      expect(await store.enqueue({ ...first, payload: { other: true }, runAt: at(99) }, at(1))).toEqual({
        created: false,
      });
      expect(await store.get(first.id)).toEqual({
        id: first.id,
        type: 'test.work',
        queue,
        payload: { orderId: 'o-1', n: 1 },
        state: 'pending',
        attempts: 0,
        runAt: at(0),
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: null,
        createdAt: at(0),
        startedAt: null,
        finishedAt: null,
      });
      expect(await store.get('no-such-job')).toBeNull();
    });

    it('claims due jobs of the queue only, earliest first, under a lease, one attempt more', async () => {
      const later = job({ runAt: at(30) });
      const early = job({ runAt: at(5) });
      const elsewhere = job({ queue: `${queue}-other` as QueueName, runAt: at(0) });
      for (const j of [later, early, elsewhere]) await store.enqueue(j, at(0));
      expect(await store.claim(queue, 'w1', at(4), 60_000)).toBeNull();
      const claimed = await store.claim(queue, 'w1', at(10), 60_000);
      expect(claimed).toMatchObject({
        id: early.id,
        state: 'running',
        attempts: 1,
        leaseOwner: 'w1',
        leaseExpiresAt: at(70),
        startedAt: at(10),
      });
      expect(await store.claim(queue, 'w2', at(10), 60_000)).toBeNull();
      expect((await store.claim(queue, 'w2', at(30), 60_000))?.id).toBe(later.id);
    });

    it('never gives one job to two claimers, also over two connections (40 claims racing for 20 jobs)', async () => {
      const other = await reopen();
      try {
        const ids = Array.from({ length: 20 }, () => job());
        for (const j of ids) await store.enqueue(j, at(0));
        const claims = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).claim(queue, `w${i}`, at(1), 60_000)),
        );
        const got = claims.filter((c) => c !== null).map((c) => c.id);
        expect(got.sort()).toEqual(ids.map((j) => j.id).sort());
      } finally {
        await other.close();
      }
    });

    it('gives a job whose lease ran out to another worker; the first one can then change nothing', async () => {
      const j = job();
      await store.enqueue(j, at(0));
      await store.claim(queue, 'dead-worker', at(0), 10_000);
      expect(await store.claim(queue, 'w2', at(9), 10_000)).toBeNull();
      const again = await store.claim(queue, 'w2', at(10), 10_000);
      expect(again).toMatchObject({ id: j.id, attempts: 2, leaseOwner: 'w2' });
      expect(await store.renew(j.id, 'dead-worker', at(11), 10_000)).toBe(false);
      expect(await store.complete(j.id, 'dead-worker', at(11))).toBe(false);
      expect(await store.fail(j.id, 'dead-worker', at(11), 'late', null)).toBe(false);
      expect(await store.release(j.id, 'dead-worker', at(11))).toBe(false);
      expect(await store.complete(j.id, 'w2', at(12))).toBe(true);
      expect(await store.get(j.id)).toMatchObject({ state: 'done', finishedAt: at(12), leaseOwner: null });
      expect(await store.claim(queue, 'w3', at(100), 10_000)).toBeNull();
    });

    it('renews a lease for its owner, so the job is not due at the old expiry', async () => {
      const j = job();
      await store.enqueue(j, at(0));
      await store.claim(queue, 'w1', at(0), 10_000);
      expect(await store.renew(j.id, 'w1', at(8), 10_000)).toBe(true);
      expect(await store.claim(queue, 'w2', at(12), 10_000)).toBeNull();
      expect((await store.claim(queue, 'w2', at(18), 10_000))?.leaseOwner).toBe('w2');
    });

    it('schedules a failed attempt again at its retry time, with the error', async () => {
      const j = job();
      await store.enqueue(j, at(0));
      await store.claim(queue, 'w1', at(0), 60_000);
      expect(await store.fail(j.id, 'w1', at(1), 'gateway timeout', at(31))).toBe(true);
      expect(await store.get(j.id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        runAt: at(31),
        lastError: 'gateway timeout',
        leaseOwner: null,
      });
      expect(await store.claim(queue, 'w1', at(30), 60_000)).toBeNull();
      expect(await store.claim(queue, 'w1', at(31), 60_000)).toMatchObject({ id: j.id, attempts: 2 });
    });

    it('keeps a dead job with its last error until it is retried, and counts it', async () => {
      const j = job();
      await store.enqueue(j, at(0));
      await store.claim(queue, 'w1', at(0), 60_000);
      expect(await store.fail(j.id, 'w1', at(2), 'still broken', null)).toBe(true);
      expect(await store.get(j.id)).toMatchObject({ state: 'dead', lastError: 'still broken', finishedAt: at(2) });
      expect(await store.claim(queue, 'w1', at(1000), 60_000)).toBeNull();
      expect((await store.counts()).find((c) => c.queue === queue)).toEqual({
        queue,
        pending: 0,
        running: 0,
        failed: 1,
      });
      expect((await store.dead(1000)).map((d) => d.id)).toContain(j.id);

      expect(await store.retry(j.id, at(5))).toBe('retried');
      expect(await store.get(j.id)).toMatchObject({ state: 'pending', attempts: 0, runAt: at(5), finishedAt: null });
      expect(await store.retry(j.id, at(5))).toBe('not_dead');
      expect(await store.retry('no-such-job', at(5))).toBe('not_found');
      expect(await store.claim(queue, 'w2', at(5), 60_000)).toMatchObject({ id: j.id, attempts: 1 });
    });

    it('takes back a released job at once, its attempt not counted', async () => {
      const j = job();
      await store.enqueue(j, at(0));
      await store.claim(queue, 'w1', at(0), 60_000);
      expect(await store.release(j.id, 'w1', at(3))).toBe(true);
      expect(await store.get(j.id)).toMatchObject({ state: 'pending', attempts: 0, runAt: at(3), leaseOwner: null });
      expect(await store.claim(queue, 'w2', at(3), 60_000)).toMatchObject({ id: j.id, attempts: 1 });
    });

    it('counts pending, running and dead jobs per queue', async () => {
      const other = `${queue}-b` as QueueName;
      for (let i = 0; i < 3; i++) await store.enqueue(job(), at(0));
      await store.enqueue(job({ queue: other, runAt: at(500) }), at(0));
      await store.claim(queue, 'w1', at(0), 60_000);
      const counts = await store.counts();
      expect(counts.find((c) => c.queue === queue)).toEqual({ queue, pending: 2, running: 1, failed: 0 });
      expect(counts.find((c) => c.queue === other)).toEqual({ queue: other, pending: 1, running: 0, failed: 0 });
    });

    it('finds the last run of a type, and forgets done jobs before a time', async () => {
      const type = `schedule:${randomUUID()}`;
      const [a, b, c] = [job({ type, runAt: at(0) }), job({ type, runAt: at(60) }), job({ type, runAt: at(120) })];
      for (const j of [a, b, c]) await store.enqueue(j, at(0));
      expect(await store.lastRun(type)).toBeNull();
      await store.claim(queue, 'w1', at(0), 60_000);
      await store.complete(a.id, 'w1', at(1));
      await store.claim(queue, 'w1', at(61), 60_000);
      expect(await store.lastRun(type)).toMatchObject({ id: b.id, state: 'running' });
      await store.complete(b.id, 'w1', at(62));
      expect(await store.purgeDone(at(10))).toBe(1);
      expect(await store.get(a.id)).toBeNull();
      expect(await store.get(b.id)).not.toBeNull();
      expect(await store.get(c.id)).toMatchObject({ state: 'pending' });
    });

    it('tells listeners in this process when a job is stored (not when it already was)', async () => {
      const heard: QueueName[] = [];
      const stop = store.onEnqueued((q) => heard.push(q));
      const j = job();
      await store.enqueue(j, at(0));
      await store.enqueue(j, at(0));
      stop();
      await store.enqueue(job(), at(0));
      expect(heard).toEqual([queue]);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
