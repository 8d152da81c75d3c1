import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import path from 'node:path';
import { meetsOwaspMinimum } from '../password-hasher/argon2.password-hasher.js';

/** Every environment variable Rentlog reads, with its default. `.env.example` lists the same. */
const schema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    EVENTSTORE_URL: { type: 'string', pattern: '^(esdb|kurrentdb|esdb\\+discover|kurrentdb\\+discover)://' },
    MONGODB_URL: { type: 'string', pattern: '^mongodb(\\+srv)?://' },
    MONGODB_DB: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,63}$', default: 'rentlog' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
      default: 'info',
    },
    CURRENCY: { type: 'string', pattern: '^[A-Z]{3}$', default: 'EUR' },
    READ_WAIT_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 60000, default: 5000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 10485760, default: 1048576 },
    SLOW_REQUEST_MS: { type: 'integer', minimum: 1, default: 1000 },
    PROJECTION_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
    IDEMPOTENCY_TTL_SECONDS: { type: 'integer', minimum: 60, default: 86400 },
    OPS_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
    JWT_SECRET: { type: 'string', minLength: 32 },
    JWT_ISSUER: { type: 'string', minLength: 1, default: 'rentlog' },
    JWT_AUDIENCE: { type: 'string', minLength: 1, default: 'rentlog-api' },
    ACCESS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 86400, default: 900 },
    REFRESH_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 300, default: 2592000 },
    ADMIN_EMAIL: { type: 'string', format: 'email' },
    ADMIN_PASSWORD: { type: 'string', minLength: 12 },
    PAYMENTS_WEBHOOK_SECRET: { type: 'string', minLength: 16 },
    PUBLIC_URL: { type: 'string', pattern: '^https?://' },
    HOLD_TTL_SECONDS: { type: 'integer', minimum: 10, default: 1800 },
    CANCELLATION_FREE_HOURS: { type: 'integer', minimum: 0, default: 48 },
    CANCELLATION_FEE_PERCENT: { type: 'integer', minimum: 0, maximum: 100, default: 50 },
    LATE_FEE_PERCENT: { type: 'integer', minimum: 0, maximum: 1000, default: 150 },
    LATE_GRACE_DAYS: { type: 'integer', minimum: 0, maximum: 30, default: 0 },
    CLOCK_OFFSET_SECONDS: { type: 'integer', default: 0 },
    ARGON2_MEMORY_KIB: { type: 'integer', minimum: 8, maximum: 4194304, default: 65536 },
    ARGON2_TIME_COST: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
    ARGON2_PARALLELISM: { type: 'integer', minimum: 1, maximum: 16, default: 4 },
    NODE_ENV: { type: 'string', default: 'development' },
    BLIND_INDEX_KEY: { type: 'string', minLength: 32 },
  },
} as const;

/** Every environment variable Rentlog reads (docs/operations.md and .env.example list them all). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.properties);

/** Never echoed in error messages. */
const SECRETS = new Set([
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'PAYMENTS_WEBHOOK_SECRET',
  'MONGODB_URL',
  'EVENTSTORE_URL',
  'BLIND_INDEX_KEY',
]);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl?: string;
  mongodbUrl?: string;
  mongodbDb: string;
  logLevel: string;
  currency: string;
  readWaitTimeoutMs: number;
  bodyLimitBytes: number;
  slowRequestMs: number;
  projectionBatchSize: number;
  idempotencyTtlSeconds: number;
  /** Port of the projector's and worker's own health/metrics server when run alone; 0 turns it off. */
  opsPort: number;
  /** HS256 key for access tokens; when unset a random one is made at start (tokens then die with the process). */
  jwtSecret?: string;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  /** HMAC key of payment webhooks; when unset a random one is made at start (fine for the sandbox). */
  paymentsWebhookSecret?: string;
  /** Where the API can be reached (the sandbox payment provider posts its webhooks there). */
  publicUrl?: string;
  holdTtlSeconds: number;
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
}

/** A configuration mistake: one line naming the variable and what it expects. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
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
  if (v.EVENTSTORE_URL && !v.BLIND_INDEX_KEY) {
    throw new ConfigError(
      'Invalid configuration: BLIND_INDEX_KEY must be set (32+ characters, the same for every process) when EVENTSTORE_URL is',
    );
  }
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir: path.resolve(v.DATA_DIR),
    eventStoreUrl: v.EVENTSTORE_URL,
    mongodbUrl: v.MONGODB_URL,
    mongodbDb: v.MONGODB_DB,
    logLevel: v.LOG_LEVEL,
    currency: v.CURRENCY,
    readWaitTimeoutMs: v.READ_WAIT_TIMEOUT_MS,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    slowRequestMs: v.SLOW_REQUEST_MS,
    projectionBatchSize: v.PROJECTION_BATCH_SIZE,
    idempotencyTtlSeconds: v.IDEMPOTENCY_TTL_SECONDS,
    opsPort: v.OPS_PORT,
    jwtSecret: v.JWT_SECRET,
    jwtIssuer: v.JWT_ISSUER,
    jwtAudience: v.JWT_AUDIENCE,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    adminEmail: v.ADMIN_EMAIL,
    adminPassword: v.ADMIN_PASSWORD,
    paymentsWebhookSecret: v.PAYMENTS_WEBHOOK_SECRET,
    publicUrl: v.PUBLIC_URL,
    holdTtlSeconds: v.HOLD_TTL_SECONDS,
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
  };
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
