import { MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import { LeaseLostError, type Lease, type LeaseToken } from '../../application/ports/lease-store.port.js';

interface LeaseDoc {
  _id: string;
  holder: string;
  epoch: number;
  expiresAt: number;
}

const toLease = (doc: LeaseDoc): Lease => ({
  name: doc._id,
  holder: doc.holder,
  epoch: doc.epoch,
  expiresAt: doc.expiresAt,
});

/** The names under a prefix, as a range of `_id`s (no pattern to escape). */
const under = (prefix: string) => ({ $gte: prefix, $lt: `${prefix}\uffff` });

/**
 * The leases of the MongoDB read store (LeaseStore): `_leases`, `{ _id: name, holder, epoch, expiresAt }`.
 * Taking a lease is one conditional upsert (free, expired or ours: the update; another holder's live
 * lease: no match, and the upsert's duplicate `_id` says so). `check` runs inside a commit's
 * transaction and writes the lease document, so that a takeover between the check and the commit is a
 * write conflict (the driver retries the transaction, whose check then fails), not a stale commit.
 */
export class MongoLeases {
  constructor(private readonly db: Db) {}

  async acquire(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    try {
      const doc = await this.leases.findOneAndUpdate(
        { _id: { $eq: name }, $or: [{ holder: { $eq: holder } }, { expiresAt: { $lte: now } }] },
        [
          {
            $set: {
              epoch: {
                $cond: [
                  { $eq: ['$holder', { $literal: holder }] },
                  '$epoch',
                  { $add: [{ $ifNull: ['$epoch', 0] }, 1] },
                ],
              },
              holder: { $literal: holder },
              expiresAt: { $literal: now + ttlMs },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      return doc ? toLease(doc) : null;
    } catch (e) {
      if (e instanceof MongoServerError && e.code === 11000) return null; // another holder's live lease
      throw e;
    }
  }

  async renew(token: LeaseToken, now: number, ttlMs: number): Promise<Lease | null> {
    const doc = await this.leases.findOneAndUpdate(
      { _id: { $eq: token.name }, holder: { $eq: token.holder }, epoch: { $eq: token.epoch } },
      { $set: { expiresAt: now + ttlMs } },
      { returnDocument: 'after' },
    );
    return doc ? toLease(doc) : null;
  }

  async release(token: LeaseToken, forget: boolean): Promise<void> {
    const filter = { _id: { $eq: token.name }, holder: { $eq: token.holder }, epoch: { $eq: token.epoch } };
    if (forget) await this.leases.deleteOne(filter);
    else await this.leases.updateOne(filter, { $set: { expiresAt: 0 } });
  }

  async list(prefix: string): Promise<Lease[]> {
    return (
      await this.leases
        .find({ _id: under(prefix) })
        .sort({ _id: 1 })
        .toArray()
    ).map(toLease);
  }

  async prune(prefix: string, before: number): Promise<number> {
    return (await this.leases.deleteMany({ _id: under(prefix), expiresAt: { $lt: before } })).deletedCount;
  }

  /** Inside a commit's transaction: throws LeaseLostError unless the token still holds. */
  async check(token: LeaseToken, session: ClientSession): Promise<void> {
    const filter = { _id: { $eq: token.name }, holder: { $eq: token.holder }, epoch: { $eq: token.epoch } };
    const { matchedCount } = await this.leases.updateOne(filter, { $inc: { commits: 1 } }, { session });
    if (matchedCount === 1) return;
    const actual = await this.leases.findOne({ _id: { $eq: token.name } }, { session });
    throw new LeaseLostError(token, actual ? { holder: actual.holder, epoch: actual.epoch } : null);
  }

  private get leases(): Collection<LeaseDoc> {
    return this.db.collection<LeaseDoc>('_leases');
  }
}
