import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { mongoClientOptions } from '../shared/mongo-options.js';
import type {
  JobRecord,
  JobState,
  JobStore,
  NewJob,
  QueueCounts,
  RetryOutcome,
} from '../../application/ports/job-store.port.js';
import type { QueueName } from '../../application/shared/job.js';
import { EnqueueListeners } from './enqueue-listeners.js';

/** A job as stored: the record, its id as `_id`. */
type JobDoc = Omit<JobRecord, 'id'> & { _id: string };

const recordOf = ({ _id, ...rest }: JobDoc): JobRecord => ({ id: _id, ...rest });

/** E11000: two enqueues of one id raced, and the other one's upsert inserted it. */
const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

/**
 * Jobs in MongoDB (`sys_jobs`), shared by every worker of the deployment. A claim is one
 * `findOneAndUpdate` (a single-document atomic operation: two workers never both get a job), sorted
 * by `runAt`; every transition filters on the lease's owner, so a worker whose lease ran out and was
 * taken over changes nothing. Enqueue is an upsert with `$setOnInsert`: the same id twice is one job.
 */
export class MongoJobStore implements JobStore {
  private readonly listeners = new EnqueueListeners();

  private constructor(
    private readonly client: MongoClient,
    private readonly jobs: Collection<JobDoc>,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoJobStore> {
    const client = new MongoClient(url, mongoClientOptions(url));
    await client.connect();
    const jobs = client.db(dbName).collection<JobDoc>('sys_jobs');
    await jobs.createIndexes([
      { key: { queue: 1, state: 1, runAt: 1 }, name: 'due' },
      { key: { queue: 1, state: 1, leaseExpiresAt: 1 }, name: 'leases' },
      { key: { type: 1, startedAt: -1 }, name: 'type_started' },
      { key: { state: 1, finishedAt: -1 }, name: 'finished' },
    ]);
    return new MongoJobStore(client, jobs);
  }

  async enqueue(job: NewJob, now: Date): Promise<{ created: boolean }> {
    const doc: Omit<JobDoc, '_id'> = {
      type: job.type,
      queue: job.queue,
      payload: job.payload,
      state: 'pending',
      attempts: 0,
      runAt: job.runAt,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    };
    let created: boolean;
    try {
      created =
        (await this.jobs.updateOne({ _id: job.id }, { $setOnInsert: doc }, { upsert: true })).upsertedCount === 1;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      created = false;
    }
    if (created) this.listeners.emit(job.queue);
    return { created };
  }

  async claim(queue: QueueName, owner: string, now: Date, leaseMs: number): Promise<JobRecord | null> {
    const doc = await this.jobs.findOneAndUpdate(
      {
        queue,
        $or: [
          { state: 'pending', runAt: { $lte: now } },
          { state: 'running', leaseExpiresAt: { $lte: now } },
        ],
      },
      {
        $set: {
          state: 'running',
          leaseOwner: owner,
          leaseExpiresAt: new Date(now.getTime() + leaseMs),
          startedAt: now,
        },
        $inc: { attempts: 1 },
      },
      { sort: { runAt: 1, _id: 1 }, returnDocument: 'after' },
    );
    return doc ? recordOf(doc) : null;
  }

  async renew(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const result = await this.jobs.updateOne(
      { _id: id, state: 'running', leaseOwner: owner },
      { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) } },
    );
    return result.matchedCount === 1;
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    return this.owned(id, owner, { state: 'done', leaseOwner: null, leaseExpiresAt: null, finishedAt: now });
  }

  async fail(id: string, owner: string, now: Date, error: string, retryAt: Date | null): Promise<boolean> {
    const ended = { leaseOwner: null, leaseExpiresAt: null, lastError: error };
    return retryAt === null
      ? this.owned(id, owner, { ...ended, state: 'dead', finishedAt: now })
      : this.owned(id, owner, { ...ended, state: 'pending', runAt: retryAt });
  }

  async release(id: string, owner: string, now: Date): Promise<boolean> {
    const doc = await this.jobs.findOneAndUpdate(
      { _id: id, state: 'running', leaseOwner: owner },
      { $set: { state: 'pending', leaseOwner: null, leaseExpiresAt: null, runAt: now }, $inc: { attempts: -1 } },
      { returnDocument: 'after' },
    );
    if (doc) this.listeners.emit(doc.queue);
    return doc !== null;
  }

  async retry(id: string, now: Date): Promise<RetryOutcome> {
    const doc = await this.jobs.findOneAndUpdate(
      { _id: id, state: 'dead' },
      { $set: { state: 'pending', attempts: 0, runAt: now, finishedAt: null } },
      { returnDocument: 'after' },
    );
    if (doc) {
      this.listeners.emit(doc.queue);
      return 'retried';
    }
    return (await this.jobs.countDocuments({ _id: id }, { limit: 1 })) === 0 ? 'not_found' : 'not_dead';
  }

  async get(id: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findOne({ _id: id });
    return doc ? recordOf(doc) : null;
  }

  async counts(): Promise<QueueCounts[]> {
    const groups = await this.jobs
      .aggregate<{ _id: { queue: QueueName; state: JobState }; n: number }>([
        { $match: { state: { $in: ['pending', 'running', 'dead'] } } },
        { $group: { _id: { queue: '$queue', state: '$state' }, n: { $sum: 1 } } },
      ])
      .toArray();
    const byQueue = new Map<QueueName, QueueCounts>();
    for (const { _id, n } of groups) {
      const counts = byQueue.get(_id.queue) ?? { queue: _id.queue, pending: 0, running: 0, failed: 0 };
      if (_id.state === 'pending') counts.pending = n;
      else if (_id.state === 'running') counts.running = n;
      else counts.failed = n;
      byQueue.set(_id.queue, counts);
    }
    return [...byQueue.values()];
  }

  async dead(limit: number): Promise<JobRecord[]> {
    const docs = await this.jobs.find({ state: 'dead' }, { sort: { finishedAt: -1, _id: 1 }, limit }).toArray();
    return docs.map(recordOf);
  }

  async lastRun(type: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findOne({ type, startedAt: { $ne: null } }, { sort: { startedAt: -1, _id: -1 } });
    return doc ? recordOf(doc) : null;
  }

  async purgeDone(before: Date): Promise<number> {
    return (await this.jobs.deleteMany({ state: 'done', finishedAt: { $lt: before } })).deletedCount;
  }

  onEnqueued(listener: (queue: QueueName) => void): () => void {
    return this.listeners.add(listener);
  }

  async ping(): Promise<void> {
    await this.client.db().command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Sets `fields` on a running job this owner holds; false when it holds it no longer. */
  private async owned(id: string, owner: string, fields: Partial<JobDoc>): Promise<boolean> {
    const result = await this.jobs.updateOne({ _id: id, state: 'running', leaseOwner: owner }, { $set: fields });
    return result.matchedCount === 1;
  }
}
