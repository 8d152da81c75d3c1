/**
 * The JobQueue port's adapter (what the areas enqueue with): the job goes to its handler's queue under
 * its id, enqueueing the same id twice is one job, and a type without a handler or an id that is not
 * one are refused before anything is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModuleRef } from '@nestjs/core';
import { DurableJobQueue } from '../../../application/shared/durable-job-queue.js';
import { JOB_HANDLERS, type JobHandler } from '../../../application/shared/job.js';
import { SqliteJobStore } from '../../../infrastructure/jobs/sqlite.job-store.js';
import { TestClock } from '../../support/test-clock.js';

const handlers: JobHandler[] = [{ type: 'mail.send', queue: 'notifications', handle: async () => undefined }];
const modules = { get: (token: unknown) => (token === JOB_HANDLERS ? handlers : undefined) } as unknown as ModuleRef;

let dir: string;
let store: SqliteJobStore;
const clock = new TestClock('2030-01-01T00:00:00.000Z');
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-queue-'));
  store = new SqliteJobStore(path.join(dir, 'jobs.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("stores a job once per id, on its handler's queue, due now unless told otherwise", async () => {
  const queue = new DurableJobQueue(store, clock, modules);
  const request = { id: 'mail:evt-1', type: 'mail.send', payload: { orderId: 'o-1' } };
  expect(await queue.enqueue(request)).toEqual({ jobId: 'mail:evt-1', created: true });
  expect(await queue.enqueue({ ...request, payload: { orderId: 'other' } })).toEqual({
    jobId: 'mail:evt-1',
    created: false,
  });
  expect(await store.get('mail:evt-1')).toMatchObject({
    queue: 'notifications',
    payload: { orderId: 'o-1' },
    runAt: clock.now(),
  });
  const later = new Date('2030-01-02T09:00:00.000Z');
  await queue.enqueue({ id: 'mail:evt-2', type: 'mail.send', payload: {}, runAt: later });
  expect((await store.get('mail:evt-2'))?.runAt).toEqual(later);
});

it('refuses a type no handler takes, and an id that is not a job id', async () => {
  const queue = new DurableJobQueue(store, clock, modules);
  await expect(queue.enqueue({ id: 'x-1', type: 'nobody', payload: {} })).rejects.toThrow(/No job handler/);
  await expect(queue.enqueue({ id: 'a/b', type: 'mail.send', payload: {} })).rejects.toThrow(/Not a job id/);
  await expect(
    queue.enqueue({ id: 'mail:someone@example.com with spaces', type: 'mail.send', payload: {} }),
  ).rejects.toThrow(/Not a job id/);
  expect(await store.counts()).toEqual([]);
});
