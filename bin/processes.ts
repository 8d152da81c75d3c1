import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CLOCK } from '../application/ports/clock.port.js';
import { EVENT_STORE } from '../application/ports/event-store.port.js';
import { ID_GENERATOR } from '../application/ports/id-generator.port.js';
import { LOGGER, type Logger } from '../application/ports/logger.port.js';
import { PROJECTIONS } from '../application/ports/projections.port.js';
import { READ_STORE } from '../application/ports/read-store.port.js';
import { SETTINGS, type Settings } from '../application/ports/settings.port.js';
import { TOKENS } from '../application/ports/tokens.port.js';
import { randomBytes } from 'node:crypto';
import { createHttpApp } from '../api/http/create-app.js';
import type { Config } from '../infrastructure/config/config.js';
import { JwtTokens } from '../infrastructure/auth/jwt.tokens.js';
import { allProjections } from '../projections/index.js';
import { Projector } from '../projections/runner/projector.js';
import { ProjectionsService } from '../projections/runner/projections-service.js';
import type { Infrastructure } from './infrastructure.js';
import { startWorker as startJobs, type Worker } from './worker.js';

export interface Running {
  stop(): Promise<void>;
}

/** Without JWT_SECRET, a random key per process: fine on one machine, tokens end with the process. */
function ephemeralSecret(logger: Logger): string {
  logger.warn('JWT_SECRET is not set: using a random key; access tokens will not survive a restart');
  return randomBytes(48).toString('base64url');
}

export function projectionsService(infra: Infrastructure): ProjectionsService {
  return new ProjectionsService(allProjections, infra.store, infra.events, infra.clock);
}

/** The HTTP API (commands and queries). Returns the Nest app, not yet listening. */
export async function createApi(infra: Infrastructure, config: Config, logger: Logger): Promise<NestFastifyApplication> {
  const projections = projectionsService(infra);
  const tokens = new JwtTokens(
    { secret: config.jwtSecret ?? ephemeralSecret(logger), issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds: config.accessTokenTtlSeconds },
    infra.clock,
  );
  const settings: Settings = { currency: config.currency, readWaitTimeoutMs: config.readWaitTimeoutMs };
  return createHttpApp({
    ports: [
      { provide: EVENT_STORE, useValue: infra.events },
      { provide: READ_STORE, useValue: infra.store },
      { provide: CLOCK, useValue: infra.clock },
      { provide: ID_GENERATOR, useValue: infra.ids },
      { provide: LOGGER, useValue: logger },
      { provide: SETTINGS, useValue: settings },
      { provide: PROJECTIONS, useValue: projections },
      { provide: TOKENS, useValue: tokens },
    ],
    logger,
    store: infra.store,
    clock: infra.clock,
    projections,
    tokens,
    bodyLimitBytes: config.bodyLimitBytes,
    slowRequestMs: config.slowRequestMs,
    readWaitTimeoutMs: config.readWaitTimeoutMs,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
  });
}

export async function startProjector(infra: Infrastructure, config: Config, logger: Logger): Promise<Projector> {
  const projector = new Projector({
    projections: allProjections,
    events: infra.events,
    store: infra.store,
    logger: logger.child({ process: 'projector' }),
    clock: infra.clock,
    batchSize: config.projectionBatchSize,
  });
  await projector.start();
  return projector;
}

export function startWorker(infra: Infrastructure, logger: Logger): Worker {
  return startJobs(infra, logger.child({ process: 'worker' }));
}
