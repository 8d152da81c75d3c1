import { Binary, MongoClient, type Collection } from 'mongodb';
import { mongoClientOptions } from '../shared/mongo-options.js';
import type { DataKey, KeyVault } from '../../application/ports/key-vault.port.js';
import { newDataKey, type MasterKeyring } from './master-keys.js';

interface KeyDoc {
  _id: string;
  masterKeyId: string | null;
  wrapped: Binary | null;
  createdAt: string;
  destroyedAt?: string;
}

/**
 * Data keys in a MongoDB collection (`sys_data_keys`), wrapped by the master key. The first use makes
 * the key with one upsert (`$setOnInsert`), so concurrent first uses agree on one; destruction keeps a
 * tombstone so that the subject is never given a new key.
 */
export class MongoKeyVault implements KeyVault {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDoc>,
    private readonly masters: MasterKeyring,
  ) {}

  static async connect(url: string, dbName: string | undefined, masters: MasterKeyring): Promise<MongoKeyVault> {
    const client = new MongoClient(url, mongoClientOptions(url));
    await client.connect();
    return new MongoKeyVault(client, client.db(dbName).collection<KeyDoc>('sys_data_keys'), masters);
  }

  async key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>> {
    const found = await this.peek(subject);
    if (found.status !== 'absent') return found;
    const { masterKeyId, wrapped } = this.masters.wrap(subject, newDataKey());
    const doc = await this.keys.findOneAndUpdate(
      { _id: { $eq: subject } },
      { $setOnInsert: { masterKeyId, wrapped: new Binary(wrapped), createdAt: new Date().toISOString() } },
      { upsert: true, returnDocument: 'after' },
    );
    return this.toKey(subject, doc) as Extract<DataKey, { status: 'active' | 'destroyed' }>;
  }

  async peek(subject: string): Promise<DataKey> {
    return this.toKey(subject, await this.keys.findOne({ _id: { $eq: subject } }));
  }

  async destroy(subject: string): Promise<void> {
    const at = new Date().toISOString();
    await this.keys.updateOne(
      { _id: { $eq: subject } },
      [
        {
          $set: {
            masterKeyId: null,
            wrapped: null,
            createdAt: { $ifNull: ['$createdAt', at] },
            destroyedAt: { $ifNull: ['$destroyedAt', at] },
          },
        },
      ],
      { upsert: true },
    );
  }

  async rewrap(): Promise<number> {
    let count = 0;
    const stale = this.keys.find({ wrapped: { $ne: null }, masterKeyId: { $ne: this.masters.current.id } });
    for await (const doc of stale) {
      const key = this.masters.unwrap(doc._id, doc.masterKeyId!, Buffer.from(doc.wrapped!.buffer));
      const { masterKeyId, wrapped } = this.masters.wrap(doc._id, key);
      // Only if it is still the version read: a concurrent destruction wins.
      const result = await this.keys.updateOne(
        { _id: { $eq: doc._id }, masterKeyId: { $eq: doc.masterKeyId } },
        { $set: { masterKeyId, wrapped: new Binary(wrapped) } },
      );
      count += result.modifiedCount;
    }
    return count;
  }

  async ping(): Promise<void> {
    await this.client.db().command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private toKey(subject: string, doc: KeyDoc | null): DataKey {
    if (!doc) return { status: 'absent' };
    if (!doc.wrapped || !doc.masterKeyId) return { status: 'destroyed' };
    return { status: 'active', key: this.masters.unwrap(subject, doc.masterKeyId, Buffer.from(doc.wrapped.buffer)) };
  }
}
