import { MongoClient, type Collection } from 'mongodb';
import { mongoClientOptions } from '../shared/mongo-options.js';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';

interface WindowDoc {
  _id: string;
  count: number;
  resetAt: number;
  /** For the TTL index: MongoDB removes a window a minute after it ended. */
  expiresAt: Date;
}

/**
 * Rate-limit windows in MongoDB, shared by every api process: each hit is one `findOneAndUpdate`
 * with an update pipeline (a single-document atomic operation), so concurrent hits are counted
 * exactly; a TTL index removes ended windows.
 */
export class MongoRateLimitStore implements RateLimitStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly windows: Collection<WindowDoc>,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoRateLimitStore> {
    const client = new MongoClient(url, mongoClientOptions(url));
    await client.connect();
    const windows = client.db(dbName).collection<WindowDoc>('sys_rate_limits');
    await windows.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 60 });
    return new MongoRateLimitStore(client, windows);
  }

  async hit(key: string, windowMs: number, nowMs: number, hits = 1): Promise<{ count: number; resetAtMs: number }> {
    const ended = { $lte: [{ $ifNull: ['$resetAt', 0] }, nowMs] };
    const doc = await this.windows.findOneAndUpdate(
      { _id: key },
      [
        {
          $set: {
            count: { $cond: [ended, hits, { $add: ['$count', hits] }] },
            resetAt: { $cond: [ended, nowMs + windowMs, '$resetAt'] },
          },
        },
        { $set: { expiresAt: { $toDate: '$resetAt' } } },
      ],
      { upsert: true, returnDocument: 'after' },
    );
    return { count: doc!.count, resetAtMs: doc!.resetAt };
  }

  async peek(key: string, nowMs: number): Promise<{ count: number; resetAtMs: number } | null> {
    const doc = await this.windows.findOne({ _id: key, resetAt: { $gt: nowMs } });
    return doc ? { count: doc.count, resetAtMs: doc.resetAt } : null;
  }

  async purge(nowMs: number): Promise<number> {
    return (await this.windows.deleteMany({ resetAt: { $lte: nowMs } })).deletedCount;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
