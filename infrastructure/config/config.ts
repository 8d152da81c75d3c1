import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString.js';
import path from 'node:path';
import { meetsOwaspMinimum } from '../password-hasher/argon2.password-hasher.js';
import type { Role } from '../../application/ports/tokens.port.js';
import { isAuditSigningKey } from '../audit/ed25519.signer.js';
import { ConfigError } from './config-error.js';
import { OIDC_PROVIDER_NAME, loadOidcProviders, type OidcProviderConfig } from './oidc.config.js';
import { jobsConfigOf, jobsConfigSchema, type JobsConfig } from './jobs.config.js';

export { ConfigError } from './config-error.js';

export type MongoReadPreference = 'primary' | 'primaryPreferred' | 'secondary' | 'secondaryPreferred' | 'nearest';
export type { OidcProviderConfig } from './oidc.config.js';

/** Every environment variable Rentlog reads, with its default. `.env.example` lists the same. */
const schema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    // @eventstore/db-client 6.2.1 parses esdb:// and esdb+discover:// only (kurrentdb:// is the renamed client's).
    EVENTSTORE_URL: { type: 'string', pattern: '^esdb(\\+discover)?://' },
    EVENTSTORE_MAX_APPEND_SIZE: { type: 'integer', minimum: 1024, maximum: 16777216, default: 1048576 },
    EVENTSTORE_STREAM_PREFIX: { type: 'string', pattern: '^[a-z0-9]{1,32}_$' },
    MONGODB_URL: { type: 'string', pattern: '^mongodb(\\+srv)?://' },
    MONGODB_DB: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,63}$', default: 'rentlog' },
    MONGODB_READ_PREFERENCE: {
      type: 'string',
      enum: ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'],
      default: 'primary',
    },
    MONGODB_MAX_STALENESS_SECONDS: { type: 'integer', minimum: 90, maximum: 86400 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
      default: 'info',
    },
    CURRENCY: { type: 'string', pattern: '^[A-Z]{3}$', default: 'EUR' },
    SHOP_TIMEZONE: { type: 'string', pattern: '^[A-Za-z0-9_+/-]{1,64}$', default: 'UTC' },
    SHOP_OPENS_AT: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', default: '09:00' },
    ...jobsConfigSchema,
    READ_WAIT_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 60000, default: 5000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 10485760, default: 524288 },
    UPLOAD_MAX_BYTES: { type: 'integer', minimum: 1024, maximum: 104857600, default: 10485760 },
    SLOW_REQUEST_MS: { type: 'integer', minimum: 1, default: 1000 },
    PROJECTION_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
    PROJECTION_LEASE_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 15 },
    IDEMPOTENCY_TTL_SECONDS: { type: 'integer', minimum: 60, default: 86400 },
    OPS_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
    SHUTDOWN_DRAIN_DELAY_MS: { type: 'integer', minimum: 0, maximum: 120000, default: 0 },
    SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 600000, default: 25000 },
    JWT_SECRET: { type: 'string', minLength: 32 },
    JWT_KEYS: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}:[^,]{32,}(,[A-Za-z0-9._-]{1,64}:[^,]{32,})*$' },
    SESSION_MAX_AGE_SECONDS: { type: 'integer', minimum: 300, default: 2592000 },
    REFRESH_GRACE_SECONDS: { type: 'integer', minimum: 0, maximum: 60, default: 10 },
    JWT_ISSUER: { type: 'string', minLength: 1, default: 'rentlog' },
    JWT_AUDIENCE: { type: 'string', minLength: 1, default: 'rentlog-api' },
    ACCESS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 86400, default: 900 },
    REFRESH_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 300, default: 2592000 },
    ADMIN_EMAIL: { type: 'string', format: 'email' },
    ADMIN_PASSWORD: { type: 'string', minLength: 12 },
    PAYMENTS_WEBHOOK_SECRET: { type: 'string', minLength: 16 },
    PAYMENT_PENDING_TIMEOUT_SECONDS: { type: 'integer', minimum: 60, maximum: 604800, default: 900 },
    PUBLIC_URL: { type: 'string', pattern: '^https?://' },
    PASSWORD_RESET_URL: { type: 'string', pattern: '^https?://' },
    PASSWORD_RESET_TTL_SECONDS: { type: 'integer', minimum: 300, maximum: 86400, default: 3600 },
    HOLD_TTL_SECONDS: { type: 'integer', minimum: 10, default: 1800 },
    SMTP_URL: { type: 'string', pattern: '^smtps?://' },
    SMTP_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 600000, default: 30000 },
    MAIL_FROM: { type: 'string', minLength: 3, default: 'Rentlog <no-reply@rentlog.invalid>' },
    NOTIFICATION_LANGUAGE: { type: 'string', enum: ['en', 'de'], default: 'en' },
    HOLD_EXPIRY_NOTICE_SECONDS: { type: 'integer', minimum: 0, default: 600 },
    CUSTOMER_MAX_ACTIVE_HOLDS: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
    CUSTOMER_MAX_HELD_UNITS: { type: 'integer', minimum: 1, maximum: 100000, default: 20 },
    CUSTOMER_MAX_RENTAL_DAYS: { type: 'integer', minimum: 1, maximum: 366, default: 90 },
    CANCELLATION_FREE_HOURS: { type: 'integer', minimum: 0, default: 48 },
    CANCELLATION_FEE_PERCENT: { type: 'integer', minimum: 0, maximum: 100, default: 50 },
    LATE_FEE_PERCENT: { type: 'integer', minimum: 0, maximum: 1000, default: 150 },
    LATE_GRACE_DAYS: { type: 'integer', minimum: 0, maximum: 30, default: 0 },
    CLOCK_OFFSET_SECONDS: { type: 'integer', default: 0 },
    ARGON2_MEMORY_KIB: { type: 'integer', minimum: 8, maximum: 4194304, default: 65536 },
    ARGON2_TIME_COST: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
    ARGON2_PARALLELISM: { type: 'integer', minimum: 1, maximum: 16, default: 1 },
    NODE_ENV: { type: 'string', default: 'development' },
    BLIND_INDEX_KEY: { type: 'string', minLength: 32 },
    CORS_ORIGINS: { type: 'string', pattern: '^(https?://[^\\s,]+)(,\\s*https?://[^\\s,]+)*$' },
    METRICS_TOKEN: { type: 'string', minLength: 16 },
    REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 600000, default: 30000 },
    HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 120000, default: 10000 },
    KEEP_ALIVE_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 120000, default: 5000 },
    MAX_CONNECTIONS: { type: 'integer', minimum: 1, maximum: 1000000, default: 1024 },
    TRUST_PROXY: {
      type: 'string',
      pattern: '^(true|false|\\d{1,2}|[0-9a-fA-F.:/]+(,\\s*[0-9a-fA-F.:/]+)*)$',
      default: 'false',
    },
    RATE_LIMIT_WINDOW_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 60 },
    RATE_LIMIT_SIGN_IN: { type: 'integer', minimum: 1, default: 10 },
    RATE_LIMIT_REGISTER: { type: 'integer', minimum: 1, default: 5 },
    RATE_LIMIT_REFRESH: { type: 'integer', minimum: 1, default: 30 },
    RATE_LIMIT_PASSWORD_RESET: { type: 'integer', minimum: 1, default: 5 },
    RATE_LIMIT_COMMANDS: { type: 'integer', minimum: 1, default: 300 },
    RATE_LIMIT_QUERIES: { type: 'integer', minimum: 1, default: 1200 },
    SIGN_IN_LOCKOUT_THRESHOLD: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    SIGN_IN_LOCKOUT_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 60 },
    SIGN_IN_LOCKOUT_MAX_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 900 },
    SIGN_IN_MAX_FAILURES: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
    SIGN_IN_ADDRESS_FAILURES: { type: 'integer', minimum: 1, default: 30 },
    SIGN_IN_ADDRESS_WINDOW_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 900 },
    PASSWORD_HASH_CONCURRENCY: { type: 'integer', minimum: 1, maximum: 64 },
    PASSWORD_HASH_QUEUE: { type: 'integer', minimum: 0, maximum: 10000, default: 32 },
    OIDC_PROVIDERS: { type: 'string', pattern: `^${OIDC_PROVIDER_NAME}(,${OIDC_PROVIDER_NAME})*$` },
    OIDC_STATE_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 3600, default: 600 },
    MFA_ISSUER: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^:]+$', default: 'Rentlog' },
    MFA_REQUIRED_ROLES: {
      type: 'string',
      pattern: '^(admin|staff|customer|analyst|auditor)(,\\s*(admin|staff|customer|analyst|auditor))*$',
    },
    MASTER_KEY: { type: 'string', pattern: '^([0-9a-fA-F]{64}|[A-Za-z0-9_-]{43}=?|[A-Za-z0-9+/]{43}=)$' },
    MASTER_KEY_FILE: { type: 'string', minLength: 1 },
    ERASURE_LEDGER_FILE: { type: 'string', minLength: 1 },
    MASTER_KEYS_PREVIOUS: {
      type: 'string',
      pattern: '^([0-9a-fA-F]{64}|[A-Za-z0-9_-]{43}=?)(,([0-9a-fA-F]{64}|[A-Za-z0-9_-]{43}=?))*$',
    },
    KEY_CACHE_SECONDS: { type: 'integer', minimum: 0, maximum: 3600, default: 30 },
    RETENTION_ERASE_AFTER_DAYS: { type: 'integer', minimum: 1, maximum: 36500 },
    AUDIT_SIGNING_KEY: { type: 'string', minLength: 32 },
    AUDIT_TRUSTED_KEYS: { type: 'string', pattern: '^[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9+/=]{40,})*$' },
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: { type: 'integer', minimum: 0, maximum: 86400, default: 300 },
    AUDIT_VERIFY_INTERVAL_SECONDS: { type: 'integer', minimum: 60, maximum: 604800, default: 3600 },
    // Tracing (infrastructure/tracing): checked here, read from the environment by the OpenTelemetry SDK.
    OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s]+$' },
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s]+$' },
    OTEL_SERVICE_NAME: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
    OTEL_SDK_DISABLED: { type: 'string', enum: ['true', 'false'] },
  },
} as const;

/** Every environment variable Rentlog reads (docs/operations.md and .env.example list them all). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.properties);

/** Never echoed in error messages. */
const SECRETS = new Set([
  'JWT_SECRET',
  'JWT_KEYS',
  'ADMIN_PASSWORD',
  'PAYMENTS_WEBHOOK_SECRET',
  'MONGODB_URL',
  'EVENTSTORE_URL',
  'BLIND_INDEX_KEY',
  'METRICS_TOKEN',
  'MASTER_KEY',
  'MASTER_KEYS_PREVIOUS',
  'AUDIT_SIGNING_KEY',
  'SMTP_URL',
]);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl?: string;
  /** The most one append may hold: EventStoreDB's MaxAppendSize (set the server and Rentlog alike); the SQLite adapter keeps the same. */
  eventStoreMaxAppendBytes: number;
  /** Streams of this deployment are `<prefix><id>` and it sees only those (deployments sharing one server: the tests in CI). */
  eventStoreStreamPrefix?: string;
  mongodbUrl?: string;
  mongodbDb: string;
  /**
   * Where queries without a read-your-writes position (no `X-Min-Position`) may read read models from:
   * `primary` (default) or a secondary mode; everything else (commits, checkpoints, access checks,
   * idempotency records, waited-for queries) reads from the primary.
   */
  mongodbReadPreference: MongoReadPreference;
  /** The driver's maxStalenessSeconds for those reads (90 at least); unset: no bound. */
  mongodbMaxStalenessSeconds?: number;
  logLevel: string;
  currency: string;
  /** IANA time zone whose local days the reports and the dashboard count in (and the schedules' crons run in). */
  shopTimeZone: string;
  /** When the shop opens (`HH:MM`, local to `shopTimeZone`): the overdue scan runs daily then. */
  shopOpensAt: string;
  /** The durable jobs engine: per-queue concurrency, leases, retries, shutdown. */
  jobs: JobsConfig;
  readWaitTimeoutMs: number;
  bodyLimitBytes: number;
  /** Largest uploaded file (a document, a photo) in bytes: larger is a 413. */
  uploadMaxBytes: number;
  slowRequestMs: number;
  projectionBatchSize: number;
  /** A projection's (and a workflow's) lease: renewed every third of it; a dead holder's is taken over after it. */
  projectionLeaseMs: number;
  idempotencyTtlSeconds: number;
  /** Port of the projector's and worker's own health/metrics server when run alone; 0 turns it off. */
  opsPort: number;
  /**
   * At SIGTERM: readiness answers 503 for `drainDelayMs` while requests are still served (a load
   * balancer takes the process out), then the listener closes and in-flight requests and jobs get
   * `timeoutMs` to finish before the process exits anyway.
   */
  shutdown: { drainDelayMs: number; timeoutMs: number };
  /** HS256 key for access tokens; when unset a random one is made at start (tokens then die with the process). */
  jwtSecret?: string;
  /** Access token keys, `kid:secret,...`: the first signs, all verify (rotation). Takes the place of JWT_SECRET. */
  jwtKeys?: Array<{ kid: string; secret: string }>;
  /** A session ends this long after sign-in, however often it is refreshed. */
  sessionMaxAgeSeconds: number;
  /** A refresh retried with the same token within this (a lost answer) gets the same successor. */
  refreshGraceSeconds: number;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  /** HMAC key of payment webhooks; when unset a random one is made at start (fine for the sandbox). */
  paymentsWebhookSecret?: string;
  /** A payment pending longer than this is asked of the provider again by the worker's reconciliation. */
  paymentPendingTimeoutSeconds: number;
  /** Where the API can be reached (the sandbox payment provider posts its webhooks there). */
  publicUrl?: string;
  /** The page of the shop's app where a reset link leads (the token follows in its fragment), and how long a link works. */
  passwordReset: { url?: string; ttlSeconds: number };
  /** SMTP_URL set: mail goes out by SMTP; else into the outbox folder under DATA_DIR. */
  mail: { smtpUrl?: string; timeoutMs: number; from: string; defaultLanguage: 'en' | 'de'; holdNoticeSeconds: number };
  holdTtlSeconds: number;
  /** What a self-service customer may hold at once, and rent for at most (staff and admins are exempt). */
  customerLimits: { maxActiveHolds: number; maxHeldUnits: number; maxRentalDays: number };
  cancellationFreeHours: number;
  cancellationFeePercent: number;
  lateFeePercent: number;
  lateGraceDays: number;
  /** Shifts Rentlog's clock (demos, end-to-end tests); 0 in production. */
  clockOffsetSeconds: number;
  /** argon2id cost of password hashes; below OWASP's minimum only outside production (tests). */
  passwordHashCost: { memoryKib: number; timeCost: number; parallelism: number };
  production: boolean;
  /** Key of the keyed hashes (HMAC) that stand in for emails in stream ids; required with EVENTSTORE_URL (every process needs the same). */
  blindIndexKey?: string;
  /** TOTP: the issuer authenticator apps show; the roles that must have MFA on before they may act. */
  mfa: { issuer: string; requiredRoles: Role[] };

  /** Browser origins allowed by CORS; empty: CORS is off. */
  corsOrigins: string[];
  /** Bearer token `/metrics` asks for; unset: open (keep it on an internal network then). */
  metricsToken?: string;
  /** The whole request (headers and body) must arrive within this, else 408: a slow body is cut off. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Connections the api accepts at once; more are refused at the socket. */
  maxConnections: number;
  /** Fastify's trustProxy: false (the socket address counts), true, a hop count, or the proxies' addresses. */
  trustProxy: boolean | number | string[];
  /** Failed password sign-ins: per email (events, growing lockouts) and per client address (counters). */
  signIn: {
    lockout: { threshold: number; lockSeconds: number; maxLockSeconds: number; maxFailures: number };
    addressFailures: number;
    addressWindowSeconds: number;
  };
  /** Password hashes computed at once (unset: one fewer than the cores, at least 1), and how many may wait; more are a 503. */
  passwordHashPool: { concurrency?: number; queue: number };
  rateLimits: {
    windowMs: number;
    limits: {
      'sign-in': number;
      register: number;
      refresh: number;
      'password-reset': number;
      commands: number;
      queries: number;
    };
  };
  /** OpenID providers users may sign in with (OIDC_PROVIDERS and each one's OIDC_<NAME>_* variables). */
  /**
   * The key that wraps every data subject's key: MASTER_KEY, else the file MASTER_KEY_FILE names, else
   * `<DATA_DIR>/master.key` (made at first start). `previous` still unwraps (a rotation in progress).
   */
  masterKey: { key?: string; file: string; previous: string[] };
  /**
   * The erasure ledger (ERASURE_LEDGER_FILE, else `<DATA_DIR>/erasures.log`): every data key the embedded
   * key vault destroys, kept out of backups; a restore erases them again.
   */
  erasureLedgerFile: string;
  /** How long a data key is kept in memory: bounds how long an erasure takes to reach other processes. */
  keyCacheSeconds: number;
  /** Customers with no order for this many days are erased by a daily job; unset: never. */
  retentionEraseAfterDays?: number;
  oidc: {
    providers: OidcProviderConfig[];
    /** How long a sign-in started at a provider may take to come back to the callback. */
    stateTtlSeconds: number;
  };
  /** The audit key signing checkpoints (unset: a key file in DATA_DIR), earlier keys still trusted, and how often the worker checkpoints and verifies. */
  audit: {
    signingKey?: string;
    trustedKeys: string[];
    checkpointEverySeconds: number | null;
    verifyEverySeconds: number;
  };
}

/** A store that cannot serve Rentlog as configured (a standalone mongod, an unreachable server): one line, then stop. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false });
addFormats.default(ajv);
const validate = ajv.compile<Record<string, unknown>>(schema);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(schema.properties);
  const values: Record<string, unknown> = {};
  for (const key of known) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') values[key] = raw;
  }
  if (typeof values.EVENTSTORE_URL === 'string' && /^kurrentdb(\+discover)?:\/\//.test(values.EVENTSTORE_URL)) {
    throw new ConfigError(
      'Invalid configuration: EVENTSTORE_URL=(hidden) uses kurrentdb://, which @eventstore/db-client 6.2.1 cannot parse: write esdb:// (or esdb+discover://) with the same hosts and options',
    );
  }
  if (typeof values.MONGODB_URL === 'string' && /[?&]readpreference(tags)?=/i.test(values.MONGODB_URL)) {
    throw new ConfigError(
      'Invalid configuration: MONGODB_URL=(hidden) names a readPreference, which would send every read (checkpoints, access checks, waited-for queries) there: leave it out and set MONGODB_READ_PREFERENCE, which applies to queries without X-Min-Position only',
    );
  }
  if (!validate(values)) {
    const error = validate.errors![0];
    const variable = error.instancePath.replace(/^\//, '') || String(error.params.missingProperty ?? '');
    const expected = describe(variable);
    const shown = SECRETS.has(variable) ? '(hidden)' : JSON.stringify(env[variable] ?? '');
    throw new ConfigError(`Invalid configuration: ${variable}=${shown} ${error.message ?? 'is not valid'}${expected}`);
  }
  const v = values as Record<string, never>;
  if ((v.ARGON2_MEMORY_KIB as number) < 8 * (v.ARGON2_PARALLELISM as number)) {
    throw new ConfigError(
      `Invalid configuration: ARGON2_MEMORY_KIB=${String(v.ARGON2_MEMORY_KIB)} must be at least 8 x ARGON2_PARALLELISM`,
    );
  }
  const cost = { memoryKib: v.ARGON2_MEMORY_KIB as number, timeCost: v.ARGON2_TIME_COST as number };
  if (v.NODE_ENV === 'production' && !meetsOwaspMinimum({ ...cost, parallelism: 1 })) {
    throw new ConfigError(
      `Invalid configuration: ARGON2_MEMORY_KIB=${cost.memoryKib} with ARGON2_TIME_COST=${cost.timeCost} is below OWASP's minimum for argon2id (19456 KiB x 2 passes or equivalent); NODE_ENV=production refuses it`,
    );
  }
  if (!isTimeZone(v.SHOP_TIMEZONE as string)) {
    throw new ConfigError(
      `Invalid configuration: SHOP_TIMEZONE=${String(v.SHOP_TIMEZONE)} is not an IANA time zone (such as UTC or Europe/Berlin)`,
    );
  }
  if (v.EVENTSTORE_URL) {
    try {
      parseConnectionString(v.EVENTSTORE_URL);
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: EVENTSTORE_URL=(hidden) is not a connection string the EventStoreDB client can use (${parseProblem(error)})`,
      );
    }
  }
  if ((v.BODY_LIMIT_BYTES as number) >= (v.EVENTSTORE_MAX_APPEND_SIZE as number)) {
    throw new ConfigError(
      `Invalid configuration: BODY_LIMIT_BYTES=${String(v.BODY_LIMIT_BYTES)} must be below EVENTSTORE_MAX_APPEND_SIZE=${String(v.EVENTSTORE_MAX_APPEND_SIZE)} (a request's events carry its body and their metadata, and one append may hold no more)`,
    );
  }
  if (v.NODE_ENV === 'production') {
    const missing = [values.JWT_KEYS ? 'JWT_KEYS' : 'JWT_SECRET', 'PAYMENTS_WEBHOOK_SECRET'].filter(
      (name) => !values[name],
    );

    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration: ${missing.join(' and ')} must be set with NODE_ENV=production (a random key per process is for development only)`,
      );
    }
  }
  if (v.NODE_ENV === 'production') {
    // Processes on the shared stores share no DATA_DIR: a key file made by each would wrap data keys
    // (MongoDB key vault) or sign checkpoints (EventStoreDB log) that the other processes cannot read.
    const unshared = [
      v.MONGODB_URL && !v.MASTER_KEY && !v.MASTER_KEY_FILE ? 'MASTER_KEY (or MASTER_KEY_FILE) when MONGODB_URL is' : '',
      v.EVENTSTORE_URL && !v.AUDIT_SIGNING_KEY ? 'AUDIT_SIGNING_KEY when EVENTSTORE_URL is' : '',
    ].filter(Boolean);
    if (unshared.length > 0) {
      throw new ConfigError(
        `Invalid configuration: ${unshared.join(', and ')} must be set with NODE_ENV=production (the same in every process; a key file per process is for one machine)`,
      );
    }
  }
  if (v.EVENTSTORE_URL && !v.BLIND_INDEX_KEY) {
    throw new ConfigError(
      'Invalid configuration: BLIND_INDEX_KEY must be set (32+ characters, the same for every process) when EVENTSTORE_URL is',
    );
  }
  if (v.AUDIT_SIGNING_KEY && !isAuditSigningKey(v.AUDIT_SIGNING_KEY)) {
    throw new ConfigError(
      'Invalid configuration: AUDIT_SIGNING_KEY=(hidden) is not an Ed25519 private key (PKCS#8 PEM, or base64 of its DER)',
    );
  }
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir: path.resolve(v.DATA_DIR),
    eventStoreUrl: v.EVENTSTORE_URL,
    eventStoreMaxAppendBytes: v.EVENTSTORE_MAX_APPEND_SIZE,
    eventStoreStreamPrefix: v.EVENTSTORE_STREAM_PREFIX,
    mongodbUrl: v.MONGODB_URL,
    mongodbDb: v.MONGODB_DB,
    mongodbReadPreference: v.MONGODB_READ_PREFERENCE,
    mongodbMaxStalenessSeconds: v.MONGODB_MAX_STALENESS_SECONDS,
    logLevel: v.LOG_LEVEL,
    currency: v.CURRENCY,
    shopTimeZone: v.SHOP_TIMEZONE,
    shopOpensAt: v.SHOP_OPENS_AT,
    jobs: jobsConfigOf(v),
    readWaitTimeoutMs: v.READ_WAIT_TIMEOUT_MS,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    uploadMaxBytes: v.UPLOAD_MAX_BYTES,
    slowRequestMs: v.SLOW_REQUEST_MS,
    projectionBatchSize: v.PROJECTION_BATCH_SIZE,
    projectionLeaseMs: (v.PROJECTION_LEASE_SECONDS as number) * 1000,
    idempotencyTtlSeconds: v.IDEMPOTENCY_TTL_SECONDS,
    opsPort: v.OPS_PORT,
    shutdown: { drainDelayMs: v.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs: v.SHUTDOWN_TIMEOUT_MS },
    jwtSecret: v.JWT_SECRET,
    jwtKeys: v.JWT_KEYS ? keyList(v.JWT_KEYS as string) : undefined,
    sessionMaxAgeSeconds: v.SESSION_MAX_AGE_SECONDS,
    refreshGraceSeconds: v.REFRESH_GRACE_SECONDS,
    jwtIssuer: v.JWT_ISSUER,
    jwtAudience: v.JWT_AUDIENCE,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    adminEmail: v.ADMIN_EMAIL,
    adminPassword: v.ADMIN_PASSWORD,
    paymentsWebhookSecret: v.PAYMENTS_WEBHOOK_SECRET,
    paymentPendingTimeoutSeconds: v.PAYMENT_PENDING_TIMEOUT_SECONDS,
    publicUrl: v.PUBLIC_URL,
    passwordReset: { url: v.PASSWORD_RESET_URL, ttlSeconds: v.PASSWORD_RESET_TTL_SECONDS },
    mail: {
      smtpUrl: v.SMTP_URL,
      timeoutMs: v.SMTP_TIMEOUT_MS,
      from: v.MAIL_FROM,
      defaultLanguage: v.NOTIFICATION_LANGUAGE,
      holdNoticeSeconds: v.HOLD_EXPIRY_NOTICE_SECONDS,
    },

    holdTtlSeconds: v.HOLD_TTL_SECONDS,
    customerLimits: {
      maxActiveHolds: v.CUSTOMER_MAX_ACTIVE_HOLDS,
      maxHeldUnits: v.CUSTOMER_MAX_HELD_UNITS,
      maxRentalDays: v.CUSTOMER_MAX_RENTAL_DAYS,
    },

    cancellationFreeHours: v.CANCELLATION_FREE_HOURS,
    cancellationFeePercent: v.CANCELLATION_FEE_PERCENT,
    lateFeePercent: v.LATE_FEE_PERCENT,
    lateGraceDays: v.LATE_GRACE_DAYS,
    clockOffsetSeconds: v.CLOCK_OFFSET_SECONDS,
    passwordHashCost: {
      memoryKib: v.ARGON2_MEMORY_KIB,
      timeCost: v.ARGON2_TIME_COST,
      parallelism: v.ARGON2_PARALLELISM,
    },
    production: v.NODE_ENV === 'production',
    blindIndexKey: v.BLIND_INDEX_KEY,
    mfa: {
      issuer: v.MFA_ISSUER,
      requiredRoles: v.MFA_REQUIRED_ROLES
        ? (v.MFA_REQUIRED_ROLES as string).split(',').map((r) => r.trim() as Role)
        : [],
    },
    corsOrigins: v.CORS_ORIGINS ? (v.CORS_ORIGINS as string).split(',').map((o) => o.trim().replace(/\/+$/, '')) : [],
    metricsToken: v.METRICS_TOKEN,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: Math.min(v.HEADERS_TIMEOUT_MS, v.REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: v.KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: v.MAX_CONNECTIONS,
    trustProxy: trustProxyOf(v.TRUST_PROXY),
    signIn: {
      lockout: {
        threshold: v.SIGN_IN_LOCKOUT_THRESHOLD,
        lockSeconds: v.SIGN_IN_LOCKOUT_SECONDS,
        maxLockSeconds: Math.max(v.SIGN_IN_LOCKOUT_MAX_SECONDS, v.SIGN_IN_LOCKOUT_SECONDS),
        maxFailures: Math.max(v.SIGN_IN_MAX_FAILURES, v.SIGN_IN_LOCKOUT_THRESHOLD),
      },
      addressFailures: v.SIGN_IN_ADDRESS_FAILURES,
      addressWindowSeconds: v.SIGN_IN_ADDRESS_WINDOW_SECONDS,
    },
    passwordHashPool: { concurrency: v.PASSWORD_HASH_CONCURRENCY, queue: v.PASSWORD_HASH_QUEUE },
    rateLimits: {
      windowMs: (v.RATE_LIMIT_WINDOW_SECONDS as number) * 1000,
      limits: {
        'sign-in': v.RATE_LIMIT_SIGN_IN,
        register: v.RATE_LIMIT_REGISTER,
        refresh: v.RATE_LIMIT_REFRESH,
        'password-reset': v.RATE_LIMIT_PASSWORD_RESET,
        commands: v.RATE_LIMIT_COMMANDS,
        queries: v.RATE_LIMIT_QUERIES,
      },
    },
    masterKey: {
      key: v.MASTER_KEY,
      file: path.resolve(v.MASTER_KEY_FILE ?? path.join(v.DATA_DIR, 'master.key')),
      previous: v.MASTER_KEYS_PREVIOUS ? (v.MASTER_KEYS_PREVIOUS as string).split(',') : [],
    },
    erasureLedgerFile: path.resolve(v.ERASURE_LEDGER_FILE ?? path.join(v.DATA_DIR, 'erasures.log')),
    keyCacheSeconds: v.KEY_CACHE_SECONDS,
    retentionEraseAfterDays: v.RETENTION_ERASE_AFTER_DAYS,
    oidc: {
      providers: loadOidcProviders(v.OIDC_PROVIDERS, env, v.NODE_ENV === 'production'),
      stateTtlSeconds: v.OIDC_STATE_TTL_SECONDS,
    },
    audit: {
      signingKey: v.AUDIT_SIGNING_KEY,
      trustedKeys: v.AUDIT_TRUSTED_KEYS ? (v.AUDIT_TRUSTED_KEYS as string).split(',') : [],
      checkpointEverySeconds: v.AUDIT_CHECKPOINT_INTERVAL_SECONDS === 0 ? null : v.AUDIT_CHECKPOINT_INTERVAL_SECONDS,
      verifyEverySeconds: v.AUDIT_VERIFY_INTERVAL_SECONDS,
    },
  };
}

/** `kid:secret,kid:secret` (JWT_KEYS): the secret may hold colons, not commas. */
function keyList(value: string): Array<{ kid: string; secret: string }> {
  return value
    .split(',')
    .map((entry) => ({ kid: entry.slice(0, entry.indexOf(':')), secret: entry.slice(entry.indexOf(':') + 1) }));
}

function trustProxyOf(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

/** Where the client's parser stopped
 and what it expected, without the (secret) string itself. */
function parseProblem(error: unknown): string {
  const { expected, location } = (error ?? {}) as { expected?: unknown; location?: unknown };
  const at = Array.isArray(location) && typeof location[0] === 'number' ? ` at character ${location[0] + 1}` : '';
  return typeof expected === 'string' ? `expected ${expected}${at}` : 'it does not parse';
}

function describe(variable: string): string {
  const spec = (schema.properties as Record<string, Record<string, unknown>>)[variable];
  if (!spec) return '';
  if (spec.enum) return ` (expected one of ${(spec.enum as string[]).join(', ')})`;
  if (spec.type === 'integer')
    return ` (expected an integer${spec.minimum !== undefined ? ` >= ${String(spec.minimum)}` : ''}${spec.maximum !== undefined ? ` and <= ${String(spec.maximum)}` : ''})`;
  if (spec.pattern) return ` (expected to match ${String(spec.pattern)})`;
  if (spec.format) return ` (expected ${String(spec.format)})`;
  if (spec.minLength) return ` (expected at least ${String(spec.minLength)} characters)`;
  return '';
}

/** Whether Node's ICU knows this IANA time zone name. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
