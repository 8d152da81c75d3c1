import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore } from '../../application/ports/event-store.port.js';
import type { IdGenerator } from '../../application/ports/id-generator.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';
import { CoalescedRateLimitStore } from '../../infrastructure/rate-limit/coalesced.rate-limit-store.js';
import { SqliteRateLimitStore } from '../../infrastructure/rate-limit/sqlite.rate-limit-store.js';
import type { JobStore } from '../../application/ports/job-store.port.js';
import { MongoJobStore } from '../../infrastructure/jobs/mongo.job-store.js';
import { SqliteJobStore } from '../../infrastructure/jobs/sqlite.job-store.js';
import { JobMetrics } from '../../infrastructure/jobs/job-metrics.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import { StartupError, type Config } from '../../infrastructure/config/config.js';
import { OffsetClock } from '../../infrastructure/clock/offset.clock.js';
import { SystemClock } from '../../infrastructure/clock/system.clock.js';
import { ScopedEventStore } from '../../infrastructure/event-store/scoped.event-store.js';
import { SqliteEventStore, type CommitSignal } from '../../infrastructure/event-store/sqlite.event-store.js';
import { CodedEventStore, EventCodec } from '../../infrastructure/event-store/event-codec.js';
import { eventSchema } from '../../domain/events.js';
import type { StorageHealth } from '../../application/ports/storage-health.port.js';
import { nextScopedId } from '../../application/shared/command-scope.js';
import { ReadStoreProcessRegistry } from '../../infrastructure/processes/read-store.process-registry.js';
import type { AuditChain } from '../../application/ports/audit-chain.port.js';
import { ChainAudit } from '../../infrastructure/audit/chain-audit.js';
import { Ed25519AuditSigner, keyFileAuditKey } from '../../infrastructure/audit/ed25519.signer.js';
import type { BlindIndex } from '../../application/ports/blind-index.port.js';
import type { BlobStore } from '../../application/ports/blob-store.port.js';
import { EncryptedBlobStore } from '../../infrastructure/blob-store/encrypted.blob-store.js';
import { FileBlobStore } from '../../infrastructure/blob-store/file.blob-store.js';
import { GridFsBlobStore } from '../../infrastructure/blob-store/gridfs.blob-store.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import { personalReadModels } from '../../application/privacy/personal-read-models.js';
import { personalData } from '../../domain/personal-data.js';
import { HmacBlindIndex, keyFileBlindIndexKey } from '../../infrastructure/blind-index/hmac.blind-index.js';
import { CachedKeyVault } from '../../infrastructure/key-vault/cached.key-vault.js';
import { MasterKeyring, keyFileMasterKey, parseMasterKey } from '../../infrastructure/key-vault/master-keys.js';
import { SqliteKeyVault } from '../../infrastructure/key-vault/sqlite.key-vault.js';
import { noEncryption, PersonalDataCipher } from '../../infrastructure/event-store/personal-data.cipher.js';
import { SealedReadStore } from '../../infrastructure/read-store/sealed.read-store.js';
import { secureDataDir, secureDataFile } from '../../infrastructure/shared/data-files.js';
import { DataDirLock, DataDirLockedError } from '../../infrastructure/shared/data-dir-lock.js';
import { ErasureLedger, LedgeredKeyVault } from '../../infrastructure/key-vault/erasure-ledger.js';
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
  /** Per-subject data keys (personal data is encrypted under them; erasure destroys them). */
  keyVault: KeyVault;
  /** Uploaded files' bytes, encrypted under their subject's key: GridFS, or files under `DATA_DIR/blobs`. */
  blobs: BlobStore;
  /** Keyed hashes of personal values (emails in claim stream ids, searches). */
  blindIndex: BlindIndex;
  clock: Clock;
  ids: IdGenerator;
  /** How the event store's writes fare (fail-stop after an I/O error, a full disk). */
  storageHealth: StorageHealth;
  /** This process's heartbeat and everyone else's. */
  processes: ReadStoreProcessRegistry;
  /** Rate-limit windows shared by every api process. */
  rateLimits: RateLimitStore;
  /** Durable jobs shared by every worker (leases, retries, dead jobs, schedule slots). */
  jobs: JobStore;
  /** The jobs' Prometheus metrics of this process (served with the api's `/metrics`). */
  jobMetrics: JobMetrics;
  describe: { eventStore: string; readStore: string };
  close(): Promise<void>;
}

/**
 * The EventStoreDB and MongoDB adapters, loaded only when their URL is set: their clients (gRPC and
 * the MongoDB driver) are about a fifth of what a process loads at start; the embedded stores need neither.
 */
const esdb = () => import('../../infrastructure/event-store/esdb.event-store.js');
const mongo = {
  readStore: () => import('../../infrastructure/read-store/mongo.read-store.js'),
  rateLimits: () => import('../../infrastructure/rate-limit/mongo.rate-limit-store.js'),
  keyVault: () => import('../../infrastructure/key-vault/mongo.key-vault.js'),
};

/**
 * Chooses the adapters from configuration: EventStoreDB and MongoDB when their URLs are set,
 * the embedded SQLite files under DATA_DIR otherwise.
 */
export async function openInfrastructure(
  config: Config,
  logger: Logger,
  /**
   * `encryption: false`: personal data stored in plain text (the benchmark's baseline only). `lock: false`:
   * DATA_DIR's lock is the caller's (a restore, which holds it exclusively; `start all`'s projector
   * thread, whose process holds it). `commits`: the embedded event store tells the other threads of this
   * process of its commits and hears theirs (projector-thread.ts).
   */
  overrides: { clock?: Clock; encryption?: false; lock?: false; commits?: CommitSignal } = {},
): Promise<Infrastructure> {
  secureDataDir(config.dataDir);
  // On any embedded store, this process holds DATA_DIR shared: a restore refuses to replace it meanwhile.
  const lock = embedded(config) && overrides.lock !== false ? lockDataDir(config.dataDir) : undefined;
  const maxAppendBytes = config.eventStoreMaxAppendBytes;
  const adapter: EventStore = config.eventStoreUrl
    ? (await esdb()).openEsdbEventStore(config.eventStoreUrl, { maxAppendBytes })
    : new SqliteEventStore(path.join(config.dataDir, 'events.db'), {
        maxAppendBytes,
        logger: logger.child({ component: 'event-store' }),
        commits: overrides.commits,
      });

  // A deployment that shares its event store with others (the tests in CI) sees its own streams only.
  const scoped = config.eventStoreStreamPrefix ? new ScopedEventStore(adapter, config.eventStoreStreamPrefix) : adapter;
  const plainStore: ReadStore = config.mongodbUrl
    ? await (
        await mongo.readStore()
      ).MongoReadStore.connect(config.mongodbUrl, config.mongodbDb, {
        queryReads: {
          readPreference: config.mongodbReadPreference,
          maxStalenessSeconds: config.mongodbMaxStalenessSeconds,
        },
      })
    : new SqliteReadStore(path.join(config.dataDir, 'read-models.db'), {
        logger: logger.child({ component: 'read-store' }),
      });
  const keyVault = await openKeyVault(config); // after the read store: on MongoDB it checked the server
  const index = blindIndex(config);
  // The only way in and out of the log: every event is encoded and decoded by the one codec.
  const cipher =
    overrides.encryption === false
      ? noEncryption
      : new PersonalDataCipher(personalData, keyVault, logger.child({ component: 'event-codec' }));
  const events: EventStore = new CodedEventStore(scoped, new EventCodec(eventSchema), cipher);
  const store: ReadStore =
    overrides.encryption === false ? plainStore : new SealedReadStore(plainStore, personalReadModels, keyVault, index);
  const rawBlobs: BlobStore = config.mongodbUrl
    ? await GridFsBlobStore.connect(config.mongodbUrl, config.mongodbDb)
    : new FileBlobStore(path.join(config.dataDir, 'blobs'));
  const blobs: BlobStore = overrides.encryption === false ? rawBlobs : new EncryptedBlobStore(rawBlobs, keyVault);
  const describe = {
    eventStore:
      (config.eventStoreUrl ? 'eventstoredb' : `sqlite:${path.join(config.dataDir, 'events.db')}`) +
      (config.eventStoreStreamPrefix ? ` (streams ${config.eventStoreStreamPrefix}*)` : ''),
    readStore: config.mongodbUrl
      ? `mongodb:${config.mongodbDb}`
      : `sqlite:${path.join(config.dataDir, 'read-models.db')}`,
  };
  // Concurrent hits on one key counted in one write (coalesced.rate-limit-store.ts), on either adapter.
  const rateLimits: RateLimitStore = new CoalescedRateLimitStore(
    config.mongodbUrl
      ? await (await mongo.rateLimits()).MongoRateLimitStore.connect(config.mongodbUrl, config.mongodbDb)
      : new SqliteRateLimitStore(path.join(config.dataDir, 'rate-limits.db')),
  );
  // EventStoreDB and MongoDB keep their own disks; the embedded stores report theirs (the event store first).
  const storageHealth: StorageHealth = {
    writeHealth: () => {
      const events = adapter instanceof SqliteEventStore ? adapter.writeHealth() : { state: 'ok' as const };
      if (events.state !== 'ok') return { ...events, store: 'event store' };
      const read = plainStore instanceof SqliteReadStore ? plainStore.writeHealth() : { state: 'ok' as const };
      return read.state === 'ok' ? read : { ...read, store: 'read store' };
    },
  };
  const jobs: JobStore = config.mongodbUrl
    ? await MongoJobStore.connect(config.mongodbUrl, config.mongodbDb)
    : new SqliteJobStore(path.join(config.dataDir, 'jobs.db'));
  for (const file of ['events.db', 'read-models.db', 'rate-limits.db', 'jobs.db'])
    secureDataFile(path.join(config.dataDir, file));
  logger.debug('stores opened', describe); // `rentlog start` names them in its first line
  const clock =
    overrides.clock ??
    (config.clockOffsetSeconds !== 0 ? new OffsetClock(config.clockOffsetSeconds * 1000) : new SystemClock());
  const processes = new ReadStoreProcessRegistry(store, clock, logger.child({ component: 'heartbeat' }));
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
    keyVault,
    blobs,
    blindIndex: index,
    clock,
    // Under an Idempotency-Key, new ids derive from it: a retry gets the ids its first attempt got.
    ids: { uuid: () => nextScopedId() ?? randomUUID() },
    storageHealth,
    processes,
    rateLimits,
    jobs,
    jobMetrics: new JobMetrics(jobs),
    describe,
    async close() {
      await processes.stop();
      await Promise.allSettled([
        events.close(),
        store.close(),
        rateLimits.close(),
        keyVault.close(),
        jobs.close(),
        blobs.close(),
      ]);
      lock?.release();
    },
  };
}

/** True when some store is a SQLite file under DATA_DIR (not both EventStoreDB and MongoDB). */
export const embedded = (config: Config): boolean => !config.eventStoreUrl || !config.mongodbUrl;

function lockDataDir(dataDir: string): DataDirLock {
  try {
    return DataDirLock.shared(dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new StartupError(error.message);
    throw error;
  }
}

/** Keyed hashes for lookups by email: BLIND_INDEX_KEY, or the embedded default's key file under DATA_DIR. */
function blindIndex(config: Config): HmacBlindIndex {
  return new HmacBlindIndex(
    config.blindIndexKey ? Buffer.from(config.blindIndexKey, 'utf8') : keyFileBlindIndexKey(config.dataDir),
  );
}

/** Data keys beside the read store (MongoDB) or the event store (`keys.db`), wrapped by the master key, cached briefly. */
async function openKeyVault(config: Config): Promise<KeyVault> {
  const { key, file, previous } = config.masterKey;
  const masters = new MasterKeyring(key ? parseMasterKey(key) : keyFileMasterKey(file), previous.map(parseMasterKey));
  const vault: KeyVault = config.mongodbUrl
    ? await (await mongo.keyVault()).MongoKeyVault.connect(config.mongodbUrl, config.mongodbDb, masters)
    : // Every key the embedded vault destroys is on the erasure ledger first, which a restore re-applies.
      new LedgeredKeyVault(
        new SqliteKeyVault(path.join(config.dataDir, 'keys.db'), masters),
        new ErasureLedger(config.erasureLedgerFile),
      );
  return new CachedKeyVault(vault, config.keyCacheSeconds * 1000);
}
