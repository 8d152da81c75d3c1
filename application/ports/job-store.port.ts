import type { QueueName } from '../shared/job.js';

export const JOB_STORE = Symbol('JobStore');

/**
 * A durable job's life: `pending` (waiting for its `runAt`), `running` (claimed by a worker under a
 * lease), `done`, or `dead` (it failed its last attempt; an operator may retry it).
 */
export type JobState = 'pending' | 'running' | 'done' | 'dead';

export interface JobRecord {
  id: string;
  type: string;
  queue: QueueName;
  /** Ids and plain values only: no personal data (it is stored as given). */
  payload: Record<string, unknown>;
  state: JobState;
  /** Claims so far (a claim whose lease ran out counts too). */
  attempts: number;
  /** Not before: when it may be claimed next. */
  runAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  /** When its last attempt was claimed. */
  startedAt: Date | null;
  /** When it ended `done` or `dead`. */
  finishedAt: Date | null;
}

export interface NewJob {
  id: string;
  type: string;
  queue: QueueName;
  payload: Record<string, unknown>;
  runAt: Date;
}

export interface QueueCounts {
  queue: QueueName;
  pending: number;
  running: number;
  /** Dead jobs: failed their last attempt, waiting for an operator. */
  failed: number;
}

export type RetryOutcome = 'retried' | 'not_found' | 'not_dead';

/**
 * Where durable jobs live, shared by every worker: enqueue by id (the same id twice is one job), an
 * atomic claim of the next due job of a queue under a lease (a job whose lease ran out is due again:
 * its worker died), and the transitions that only the lease's owner may make. Adapters: SQLite
 * (embedded) and MongoDB, one contract suite (tests/contract/job-store.contract.ts).
 */
export interface JobStore {
  /** Stores the job unless one with its id exists; `created: false` then, and nothing changes. */
  enqueue(job: NewJob, now: Date): Promise<{ created: boolean }>;
  /**
   * Claims the queue's next due job (pending with `runAt <= now`, or running with an expired lease),
   * earliest `runAt` first: it becomes `running`, owned by `owner` until `now + leaseMs`, one attempt more.
   */
  claim(queue: QueueName, owner: string, now: Date, leaseMs: number): Promise<JobRecord | null>;
  /** Extends the owner's lease; false when the job is no longer its own (the lease ran out and was taken). */
  renew(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  /** `done`, if the owner still holds it. */
  complete(id: string, owner: string, now: Date): Promise<boolean>;
  /** Back to `pending` at `retryAt` with the error, or `dead` with it when `retryAt` is null; owner only. */
  fail(id: string, owner: string, now: Date, error: string, retryAt: Date | null): Promise<boolean>;
  /** Hands a running job back (a worker shutting down): pending now, the attempt not counted; owner only. */
  release(id: string, owner: string, now: Date): Promise<boolean>;
  /** A dead job back to `pending` now, with its attempts reset. */
  retry(id: string, now: Date): Promise<RetryOutcome>;
  get(id: string): Promise<JobRecord | null>;
  /** Per queue that has jobs: pending, running and dead. */
  counts(): Promise<QueueCounts[]>;
  /** Dead jobs, the most recent first. */
  dead(limit: number): Promise<JobRecord[]>;
  /** The job of this type claimed last (the latest run of a schedule), or null. */
  lastRun(type: string): Promise<JobRecord | null>;
  /** Forgets jobs that ended `done` before `before`; answers how many. */
  purgeDone(before: Date): Promise<number>;
  /** Calls `listener` when this process enqueues a job (workers in it claim at once instead of at their next poll). */
  onEnqueued(listener: (queue: QueueName) => void): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
