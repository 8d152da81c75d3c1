import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore } from '../../application/ports/event-store.port.js';
import type { IdGenerator } from '../../application/ports/id-generator.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';
import { MongoRateLimitStore } from '../../infrastructure/rate-limit/mongo.rate-limit-store.js';
import { SqliteRateLimitStore } from '../../infrastructure/rate-limit/sqlite.rate-limit-store.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Config } from '../../infrastructure/config/config.js';
import { OffsetClock } from '../../infrastructure/clock/offset.clock.js';
import { SystemClock } from '../../infrastructure/clock/system.clock.js';
import { openEsdbEventStore } from '../../infrastructure/event-store/esdb.event-store.js';
import { ScopedEventStore } from '../../infrastructure/event-store/scoped.event-store.js';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { CodedEventStore, EventCodec } from '../../infrastructure/event-store/event-codec.js';
import { eventSchema } from '../../domain/events.js';
import type { AuditChain } from '../../application/ports/audit-chain.port.js';
import { ChainAudit } from '../../infrastructure/audit/chain-audit.js';
import { Ed25519AuditSigner, keyFileAuditKey } from '../../infrastructure/audit/ed25519.signer.js';
import { MongoReadStore } from '../../infrastructure/read-store/mongo.read-store.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';

export interface Infrastructure {
  /** The log, through the event codec: what everything but the composition uses. */
  events: EventStore;
  /** The adapter under the codec (its own stats, for benchmarks and tests). */
  adapter: EventStore;
  /** The log as stored, as the codec sees it below itself (scoped to this deployment's streams): what the audit verifies. */
  stored: EventStore;
  /** The hash chains' verification and checkpoints, over `stored`, signed with the audit key. */
  audit: AuditChain;
  store: ReadStore;
  clock: Clock;
  ids: IdGenerator;
  /** Rate-limit windows shared by every api process. */
  rateLimits: RateLimitStore;
  describe: { eventStore: string; readStore: string };
  close(): Promise<void>;
}

/**
 * Chooses the adapters from configuration: EventStoreDB and MongoDB when their URLs are set,
 * the embedded SQLite files under DATA_DIR otherwise.
 */
export async function openInfrastructure(
  config: Config,
  logger: Logger,
  overrides: { clock?: Clock } = {},
): Promise<Infrastructure> {
  mkdirSync(config.dataDir, { recursive: true });
  const maxAppendBytes = config.eventStoreMaxAppendBytes;
  const adapter: EventStore = config.eventStoreUrl
    ? openEsdbEventStore(config.eventStoreUrl, { maxAppendBytes })
    : new SqliteEventStore(path.join(config.dataDir, 'events.db'), { maxAppendBytes });
  // A deployment that shares its event store with others (the tests in CI) sees its own streams only.
  const scoped = config.eventStoreStreamPrefix ? new ScopedEventStore(adapter, config.eventStoreStreamPrefix) : adapter;
  // The only way in and out of the log: every event is encoded and decoded by the one codec.
  const events: EventStore = new CodedEventStore(scoped, new EventCodec(eventSchema));
  const store: ReadStore = config.mongodbUrl
    ? await MongoReadStore.connect(config.mongodbUrl, config.mongodbDb)
    : new SqliteReadStore(path.join(config.dataDir, 'read-models.db'));
  const describe = {
    eventStore:
      (config.eventStoreUrl ? 'eventstoredb' : `sqlite:${path.join(config.dataDir, 'events.db')}`) +
      (config.eventStoreStreamPrefix ? ` (streams ${config.eventStoreStreamPrefix}*)` : ''),
    readStore: config.mongodbUrl
      ? `mongodb:${config.mongodbDb}`
      : `sqlite:${path.join(config.dataDir, 'read-models.db')}`,
  };
  const rateLimits: RateLimitStore = config.mongodbUrl
    ? await MongoRateLimitStore.connect(config.mongodbUrl, config.mongodbDb)
    : new SqliteRateLimitStore(path.join(config.dataDir, 'rate-limits.db'));
  logger.debug('stores opened', describe); // `rentlog start` names them in its first line
  const clock =
    overrides.clock ??
    (config.clockOffsetSeconds !== 0 ? new OffsetClock(config.clockOffsetSeconds * 1000) : new SystemClock());
  const signer = new Ed25519AuditSigner(
    config.audit.signingKey ?? keyFileAuditKey(config.dataDir),
    config.audit.trustedKeys,
  );
  return {
    events,
    adapter,
    stored: scoped,
    audit: new ChainAudit(scoped, signer, clock),
    store,
    clock,
    ids: { uuid: () => randomUUID() },
    rateLimits,
    describe,
    async close() {
      await Promise.allSettled([events.close(), store.close(), rateLimits.close()]);
    },
  };
}
