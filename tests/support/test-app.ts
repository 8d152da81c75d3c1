import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '../../application/ports/clock.port.js';
import {
  ACCESS_READ_MODEL,
  sessionAccessId,
  userAccessId,
  type SessionAccessDoc,
  type UserAccessDoc,
} from '../../application/identity/access.view.js';
import { TOKENS, type Role, type Tokens } from '../../application/ports/tokens.port.js';
import { SCHEDULES, type Schedule } from '../../application/shared/job.js';
import { createApi, startProjector, startWorker } from '../../bin/composition/processes.js';
import type { Worker } from '../../bin/composition/worker.js';
import { openInfrastructure, type Infrastructure } from '../../bin/composition/infrastructure.js';
import { startHeartbeat } from '../../bin/composition/heartbeat.js';
import type { SandboxFaults } from '../../infrastructure/payments/sandbox-faults.js';
import { loadConfig, type Config } from '../../infrastructure/config/config.js';
import { createLogger } from '../../infrastructure/logging/logger.js';
import { CHEAP_PASSWORD_HASHING, GENEROUS_RATE_LIMITS, NO_AUTOMATIC_CHECKPOINTS } from './test-env.js';
import type { Projector } from '../../projections/runner/projector.js';

export interface TestApp {
  app: NestFastifyApplication;
  infra: Infrastructure;
  projector: Projector;
  worker: Worker;
  config: Config;
  /** An Authorization header for a signed-in user with these roles (a user and a session the access check knows). */
  authAs(roles: Role[], claims?: { userId?: string; customerId?: string }): { authorization: string };
  /** Runs one slot of a registered cron schedule now, as the worker's engine would (slot id from `at`). */
  runSchedule(name: string, at?: Date): Promise<unknown>;
  /** Every JSON log line written so far. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The real Nest app on Fastify with the embedded stores in a fresh temp directory, projector running. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { clock?: Clock; projector?: boolean; gatewayFaults?: SandboxFaults } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-test-'));
  const config = loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'info',
    ...CHEAP_PASSWORD_HASHING,
    ...GENEROUS_RATE_LIMITS,
    ...NO_AUTOMATIC_CHECKPOINTS,
    ...(process.env.AUDIT_CHECKPOINT_INTERVAL_SECONDS
      ? { AUDIT_CHECKPOINT_INTERVAL_SECONDS: process.env.AUDIT_CHECKPOINT_INTERVAL_SECONDS }
      : {}),
    ...env,
  });
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger('test', { level: config.logLevel, stream });
  const infra = await openInfrastructure(config, logger, { clock: options.clock });
  const projector = await startProjector(infra, config, logger);
  const app = await createApi(infra, config, logger, { gatewayFaults: options.gatewayFaults });
  const worker = await startWorker(app, infra, config, logger);
  await startHeartbeat(infra, ['api', 'projector', 'worker'], { projector, worker });
  return {
    app,
    infra,
    projector,
    worker,
    config,
    authAs(roles, claims = {}) {
      const userId = claims.userId ?? `test-${roles.join('-')}`;
      const sessionId = `test-session-${userId}`;
      // A signed-in caller is a user and a session in the access read model (what every request is
      // checked against). The embedded read store writes synchronously, so this is in place before
      // the token is used, and authAs stays a plain function; the test user has no stream.
      const access = infra.store.collection<UserAccessDoc | SessionAccessDoc>(ACCESS_READ_MODEL);
      const now = infra.clock.now().toISOString();
      void access.put({
        _id: userAccessId(userId),
        kind: 'user',
        userId,
        roles,
        customerId: claims.customerId ?? null,
        disabled: false,
        tokenVersion: 0,
      });
      void access.put({
        _id: sessionAccessId(sessionId),
        kind: 'session',
        sessionId,
        userId,
        active: true,
        tokenVersion: 0,
        userAgent: null,
        ipAddress: null,
        createdAt: now,
        lastUsedAt: now,
        endedAt: null,
      });
      const { token } = app.get<Tokens>(TOKENS).issueAccess({
        userId,
        roles,
        sessionId,
        tokenVersion: 0,
        ...(claims.customerId ? { customerId: claims.customerId } : {}),
      });
      return { authorization: `Bearer ${token}` };
    },
    runSchedule(name, at = infra.clock.now()) {
      const schedule = app.get<Schedule[]>(SCHEDULES, { strict: false }).find((s) => s.name === name);
      if (!schedule) throw new Error(`No schedule ${name}`);
      return schedule.run({ id: `${name}@${at.toISOString()}`, at });
    },
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      await worker.stop();
      await app.close();
      await projector.stop();
      await infra.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
