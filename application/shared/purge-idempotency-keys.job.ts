import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecord } from './idempotency.js';
import type { Schedule } from './job.js';

/** Drops `Idempotency-Key` answers past their time to live. */
@Injectable()
export class PurgeIdempotencyKeysJob implements Schedule {
  readonly name = 'purge-idempotency-keys';
  readonly cron = '*/10 * * * *';
  readonly queue = 'maintenance' as const;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run() {
    await this.store.ensureCollection({ name: IDEMPOTENCY_COLLECTION, indexes: [{ fields: { expiresAt: 1 } }] });
    const records = this.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);
    let purged = 0;
    for (;;) {
      const expired = await records.find({ expiresAt: { $lt: this.clock.now().toISOString() } }, { limit: 500 });
      for (const record of expired) await records.delete(record._id);
      purged += expired.length;
      if (expired.length < 500) return { purged };
    }
  }
}
