import type { INestApplicationContext, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ApplicationModule } from '../../application/application.module.js';
import { RecordApiKeyUseCommand } from '../../application/identity/record-api-key-use.command.js';
import { AccessCheck } from '../../application/identity/access-check.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EnsureAdminCommand } from '../../application/identity/ensure-admin.command.js';
import { CLOCK } from '../../application/ports/clock.port.js';
import { EVENT_STORE } from '../../application/ports/event-store.port.js';
import { ID_GENERATOR } from '../../application/ports/id-generator.port.js';
import { LOGGER, type Logger } from '../../application/ports/logger.port.js';
import { PAYMENT_GATEWAY } from '../../application/ports/payment-gateway.port.js';
import { PROJECTIONS } from '../../application/ports/projections.port.js';
import { READ_STORE } from '../../application/ports/read-store.port.js';
import { SETTINGS, type Settings } from '../../application/ports/settings.port.js';
import { RATE_LIMIT_STORE } from '../../application/ports/rate-limit.port.js';
import { MAILER, type Mailer } from '../../application/ports/mailer.port.js';
import { PROCESS_REGISTRY } from '../../application/ports/process-registry.port.js';
import { STORAGE_HEALTH } from '../../application/ports/storage-health.port.js';
import { AUDIT_CHAIN } from '../../application/ports/audit-chain.port.js';
import { AS_OF } from '../../application/ports/as-of.port.js';
import { AsOfFolder } from '../../projections/runner/as-of.js';
import { OutboxFolderMailer, outboxDir } from '../../infrastructure/mail/outbox-folder.mailer.js';
import { SmtpMailer } from '../../infrastructure/mail/smtp.mailer.js';
import { HandlebarsTemplates } from '../../infrastructure/templates/handlebars.templates.js';
import { TEMPLATES } from '../../application/ports/templates.port.js';
import { JOBS_OVERVIEW } from '../../application/ports/jobs-overview.port.js';
import { StoreJobsOverview } from '../../infrastructure/jobs/store.jobs-overview.js';
import { JOB_STORE } from '../../application/ports/job-store.port.js';

import { TOKENS } from '../../application/ports/tokens.port.js';
import { systemContext } from '../../application/shared/command-context.js';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createHttpApp } from '../../api/http/platform/create-app.js';
import { DRAINING, Draining } from '../../api/http/platform/draining.js';
import { ConfigError, type Config } from '../../infrastructure/config/config.js';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { JwtTokens } from '../../infrastructure/auth/jwt.tokens.js';
import { OpenIdClientOidc } from '../../infrastructure/auth/openid-client.oidc.js';
import { OIDC } from '../../application/ports/oidc.port.js';
import type { SandboxFaults } from '../../infrastructure/payments/sandbox-faults.js';
import { SandboxGateway } from '../../infrastructure/payments/sandbox.gateway.js';
import {
  Argon2PasswordHasher,
  meetsOwaspMinimum,
} from '../../infrastructure/password-hasher/argon2.password-hasher.js';
import { PASSWORD_HASHER } from '../../application/ports/password-hasher.port.js';
import { BLIND_INDEX } from '../../application/ports/blind-index.port.js';
import { OtplibTotp } from '../../infrastructure/mfa/otplib.totp.js';
import { TOTP } from '../../application/ports/totp.port.js';
import { KEY_VAULT } from '../../application/ports/key-vault.port.js';
import { BLOB_STORE } from '../../application/ports/blob-store.port.js';
import { UPLOAD_INSPECTOR } from '../../application/ports/upload-inspector.port.js';
import { SharpUploadInspector } from '../../infrastructure/uploads/sharp.upload-inspector.js';
import { projectionsOf } from './projector.js';
import { ProjectionsService } from '../../projections/runner/projections-service.js';
import type { Infrastructure } from './infrastructure.js';
import { packageInfo } from './package-info.js';
import { settleIdempotencyRecords } from './settle-idempotency.js';
import { startWorker as startJobs, type Worker } from './worker.js';
import type { Tracer } from '@opentelemetry/api';

export interface Running {
  stop(): Promise<void>;
}

/** Without JWT_SECRET, PAYMENTS_WEBHOOK_SECRET: a random key per process, fine on one machine (startupWarnings says so). */
const randomSecret = (bytes: number) => randomBytes(bytes).toString('base64url');

export type ProcessRole = 'all' | 'api' | 'projector' | 'worker';

/**
 * What a process of this role warns about when it starts: keys made up per process (tokens end with
 * it; only it can verify the sandbox's webhooks) and password hashing below OWASP's minimum. Logged
 * by `rentlog start` after the line with the URL; the CLI commands run quiet.
 */
export function startupWarnings(config: Config, role: ProcessRole): string[] {
  const warnings: string[] = [];
  const api = role === 'all' || role === 'api';
  const application = api || role === 'worker';
  if (api && !config.jwtSecret && !config.jwtKeys)
    warnings.push('JWT_SECRET (or JWT_KEYS) is not set: using a random key; access tokens will not survive a restart');
  if (application && !config.paymentsWebhookSecret)
    warnings.push(
      'PAYMENTS_WEBHOOK_SECRET is not set: using a random key; only this process can verify payment webhooks',
    );
  if (application && !meetsOwaspMinimum(config.passwordHashCost))
    warnings.push(
      "ARGON2_MEMORY_KIB / ARGON2_TIME_COST are below OWASP's minimum for argon2id: fine for tests, never for real passwords",
    );
  return warnings;
}

/** Where this API is reached from outside: PUBLIC_URL, else http://HOST:PORT. */
const publicBase = (config: Config): string =>
  (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');

/** The configured OpenID providers, each with this API's callback for it (register that URL at the provider). */
function openIdProviders(config: Config, logger: Logger): OpenIdClientOidc {
  return new OpenIdClientOidc(
    config.oidc.providers.map((p) => ({
      ...p,
      redirectUri: `${publicBase(config)}/v1/auth/oidc/${p.name}/callback`,
    })),
    logger.child({ component: 'oidc' }),
  );
}

/**
 * The sandbox payment provider, posting its webhooks to this API. Without PAYMENTS_WEBHOOK_SECRET a
 * random key per process signs and verifies them: fine for one process, not behind a load balancer.
 */
function sandboxGateway(infra: Infrastructure, config: Config, logger: Logger, faults?: SandboxFaults): SandboxGateway {
  return new SandboxGateway({
    faults,
    secret: config.paymentsWebhookSecret ?? randomSecret(32),
    webhookUrl: `${publicBase(config)}/v1/payments/webhooks/sandbox`,

    clock: infra.clock,
    logger: logger.child({ component: 'payments-sandbox' }),
  });
}

/** SMTP when SMTP_URL is set (production); else the outbox folder under DATA_DIR, encrypted per recipient. */
function mailer(infra: Infrastructure, config: Config, logger: Logger): Mailer {
  const log = logger.child({ component: 'mailer' });
  return config.mail.smtpUrl
    ? new SmtpMailer(
        { url: config.mail.smtpUrl, from: config.mail.from, timeoutMs: config.mail.timeoutMs },
        infra.clock,
        log,
      )
    : new OutboxFolderMailer(outboxDir(config.dataDir), infra.keyVault, config.mail.from, infra.clock, log);
}

/** argon2id at the configured cost in its bounded pool; a cost below OWASP's minimum is refused in production (config), warned about elsewhere (startupWarnings). */
const passwordHasher = (config: Config): Argon2PasswordHasher =>
  new Argon2PasswordHasher(config.passwordHashCost, config.passwordHashPool);

/** Business settings the application reads, from configuration. */
export function settingsFrom(config: Config): Settings {
  return {
    currency: config.currency,
    readWaitTimeoutMs: config.readWaitTimeoutMs,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
    refreshGraceSeconds: config.refreshGraceSeconds,
    signIn: config.signIn,
    passwordReset: {
      url: config.passwordReset.url ?? `${publicBase(config)}/reset-password`,
      ttlSeconds: config.passwordReset.ttlSeconds,
    },
    oidcStateTtlSeconds: config.oidc.stateTtlSeconds,
    holdTtlSeconds: config.holdTtlSeconds,
    notifications: { defaultLanguage: config.mail.defaultLanguage, holdNoticeSeconds: config.mail.holdNoticeSeconds },
    customerLimits: config.customerLimits,

    shopTimeZone: config.shopTimeZone,
    shopOpensAt: config.shopOpensAt,
    cancellation: { freeHours: config.cancellationFreeHours, feePercent: config.cancellationFeePercent },
    lateReturn: { feePercent: config.lateFeePercent, graceDays: config.lateGraceDays },
    retentionEraseAfterDays: config.retentionEraseAfterDays ?? null,
    jobsKeepDoneDays: config.jobs.keepDoneDays,
    audit: {
      checkpointEverySeconds: config.audit.checkpointEverySeconds,
      verifyEverySeconds: config.audit.verifyEverySeconds,
    },
    payments: { pendingTimeoutSeconds: config.paymentPendingTimeoutSeconds },
  };
}

export { projectionsOf, startProjector } from './projector.js';

export function projectionsService(infra: Infrastructure, config: Config): ProjectionsService {
  return new ProjectionsService(projectionsOf(config), infra.store, infra.events, infra.clock);
}

/** Every port's adapter, as providers: the same for the API and for a worker on its own. */
function applicationPorts(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  projections: ProjectionsService,
  tokens: JwtTokens,
  hasher: Argon2PasswordHasher = passwordHasher(config),
  faults?: SandboxFaults,
): Provider[] {
  return [
    { provide: EVENT_STORE, useValue: infra.events },
    { provide: READ_STORE, useValue: infra.store },
    { provide: CLOCK, useValue: infra.clock },
    { provide: ID_GENERATOR, useValue: infra.ids },
    { provide: LOGGER, useValue: logger },
    { provide: SETTINGS, useValue: settingsFrom(config) },
    { provide: PROJECTIONS, useValue: projections },
    { provide: TOKENS, useValue: tokens },
    { provide: PAYMENT_GATEWAY, useValue: sandboxGateway(infra, config, logger, faults) },
    { provide: PASSWORD_HASHER, useValue: hasher },
    { provide: BLIND_INDEX, useValue: infra.blindIndex },
    { provide: KEY_VAULT, useValue: infra.keyVault },
    { provide: BLOB_STORE, useValue: infra.blobs },
    { provide: UPLOAD_INSPECTOR, useValue: new SharpUploadInspector() },
    { provide: RATE_LIMIT_STORE, useValue: infra.rateLimits },
    { provide: MAILER, useValue: mailer(infra, config, logger) },
    { provide: TEMPLATES, useValue: new HandlebarsTemplates(config.shopTimeZone) },
    { provide: OIDC, useValue: openIdProviders(config, logger) },
    { provide: TOTP, useValue: new OtplibTotp({ issuer: config.mfa.issuer }) },
    { provide: STORAGE_HEALTH, useValue: infra.storageHealth },
    { provide: PROCESS_REGISTRY, useValue: infra.processes },
    { provide: AUDIT_CHAIN, useValue: infra.audit },
    { provide: AS_OF, useValue: new AsOfFolder(infra.events, infra.store) },
    { provide: JOB_STORE, useValue: infra.jobs },
    { provide: JOBS_OVERVIEW, useValue: new StoreJobsOverview(infra.jobs) },
  ];
}

const jwtTokens = (infra: Infrastructure, config: Config, keys: Array<{ kid: string; secret: string }>) =>
  new JwtTokens(
    { keys, issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds: config.accessTokenTtlSeconds },
    infra.clock,
  );

/** JWT_KEYS, else JWT_SECRET as the one key `default`, else a random key for this process. */
const jwtKeys = (config: Config, ephemeral: () => string) =>
  config.jwtKeys ?? [{ kid: 'default', secret: config.jwtSecret ?? ephemeral() }];

/**
 * The HTTP API (commands and queries). Returns the Nest app, not yet listening. `testing.gatewayFaults`
 * (tests only; nothing in configuration sets it) makes the sandbox payment provider fail on cue.
 */
export async function createApi(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  testing: { gatewayFaults?: SandboxFaults } = {},
): Promise<NestFastifyApplication> {
  const projections = projectionsService(infra, config);
  const tokens = jwtTokens(
    infra,
    config,
    jwtKeys(config, () => randomSecret(48)),
  );
  const hasher = passwordHasher(config);
  const access = new AccessCheck(infra.store, infra.clock, logger.child({ component: 'access' }));
  // Set at the stop signal (bin/rentlog.ts): readiness answers 503 from then on, answers close their connections.
  const draining = new Draining();
  const app = await createHttpApp({
    ports: [
      ...applicationPorts(infra, config, logger, projections, tokens, hasher, testing.gatewayFaults),
      { provide: DRAINING, useValue: draining },
    ],
    draining,
    passwords: hasher,
    jobs: new StoreJobsOverview(infra.jobs),
    metricRegistries: [infra.jobMetrics.registry],
    logger,
    store: infra.store,
    clock: infra.clock,
    projections,
    tokens,
    access,
    bodyLimitBytes: config.bodyLimitBytes,
    uploadMaxBytes: config.uploadMaxBytes,
    slowRequestMs: config.slowRequestMs,
    readWaitTimeoutMs: config.readWaitTimeoutMs,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    processes: infra.processes,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    rateLimitStore: infra.rateLimits,
    rateLimits: config.rateLimits,
    metricsToken: config.metricsToken,
    mfaRequiredRoles: config.mfa.requiredRoles,
    limits: {
      requestTimeoutMs: config.requestTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      keepAliveTimeoutMs: config.keepAliveTimeoutMs,
      maxConnections: config.maxConnections,
    },
    version: packageInfo().version,
    currency: config.currency,
  });
  // API key use is a security event, recorded through the command bus (once a key a minute).
  const commands = app.get(CommandBus);
  access.recordUsesWith((use) =>
    commands.execute(
      new RecordApiKeyUseCommand(use, {
        actor: { userId: `apikey:${use.apiKeyId}`, role: 'api_key' },
        correlationId: `apikey-use-${use.apiKeyId}`,
        causationId: `apikey-use-${use.apiKeyId}`,
      }),
    ),
  );
  // No key stays pending after a restart: those of processes that are gone become outcome-unknown.
  await settleIdempotencyRecords(infra, logger);
  if (config.adminEmail && config.adminPassword) {
    try {
      await app
        .get(CommandBus)
        .execute(
          new EnsureAdminCommand(
            { email: config.adminEmail, password: config.adminPassword },
            systemContext('admin-bootstrap'),
          ),
        );
    } catch (error) {
      await app.close();
      // A password the policy refuses is a setting to fix, said in one line like every other.
      if (error instanceof DomainError && error.code === IdentityErrors.passwordPolicy) {
        throw new ConfigError(`Invalid configuration: ADMIN_PASSWORD: ${error.message}`);
      }
      throw error;
    }
  }
  return app;
}

/**
 * Stops the api: first its listener (no new connections; idle keep-alive ones closed; the requests
 * under way finish, answered with `Connection: close`), then the application (its modules' destroy
 * hooks, such as the payment gateway's, run only once no request needs them).
 */
export async function closeApi(
  app: NestFastifyApplication,
  options: { keepIdleConnectionsMs?: number } = {},
): Promise<void> {
  const server = app.getHttpServer() as Server;
  const keepIdle = options.keepIdleConnectionsMs ?? 0;
  let cutoff: NodeJS.Timeout | undefined;
  if (keepIdle > 0) {
    // Node's close() ends idle keep-alive connections at once, and a connection whose request has
    // arrived but is not read yet counts as idle: a load balancer that is still sending (nginx
    // follows no readiness) gets a reset, and does not repeat a POST. Behind a load balancer the
    // idle connections are left to end on their own instead (the balancer's keep-alive timeout is
    // the shorter; a request that still comes is answered with Connection: close), at most this long.
    const closeIdle = server.closeIdleConnections.bind(server);
    server.closeIdleConnections = () => undefined;
    cutoff = setTimeout(closeIdle, keepIdle);
    cutoff.unref();
  }
  try {
    await app.getHttpAdapter().getInstance().close();
  } finally {
    clearTimeout(cutoff);
  }
  await app.close();
}

/** The application without HTTP, for a worker process of its own: the same modules and command bus as the API. */
export async function createWorkerContext(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
): Promise<INestApplicationContext> {
  const tokens = jwtTokens(
    infra,
    config,
    jwtKeys(config, () => randomSecret(48)),
  ); // a worker issues no tokens
  const context = await NestFactory.createApplicationContext(
    ApplicationModule.register(applicationPorts(infra, config, logger, projectionsService(infra, config), tokens)),
    {
      logger: false,
    },
  );
  await context.init();
  return context;
}

/** The worker on an application (the API's, in `start all`; its own context otherwise). */
export function startWorker(
  app: INestApplicationContext,
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  tracer?: Tracer,
): Promise<Worker> {
  return startJobs(app, infra, config, logger.child({ process: 'worker' }), tracer);
}
