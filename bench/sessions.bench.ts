/**
 * Sign-ins and refreshes as a user's sessions pile up. Sessions are streams of their own (one per
 * sign-in); the user's stream holds only what changes the user. Measured through the command bus of
 * the real application, with password hashing at a test cost so that what is measured is the store
 * and the fold, not argon2:
 * - logins of a user with no session yet, interleaved with logins of a user with 10,000 sessions;
 * - refreshes of a new session, interleaved with refreshes of a session refreshed 2,000 times
 *   (snapshots every 50 events keep it cheap).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { CreateUserCommand } from '../application/identity/create-user.command.js';
import { LoginCommand } from '../application/identity/login.command.js';
import { RefreshCommand } from '../application/identity/refresh.command.js';
import type { CommandContext } from '../application/shared/command-context.js';
import { openInfrastructure } from '../bin/composition/infrastructure.js';
import { createApi } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { progress, ratio, round } from './support.js';

const ctx: CommandContext = {
  actor: { userId: 'anonymous', role: 'anonymous' },
  correlationId: 'bench',
  causationId: 'bench',
};
const PASSWORD = 'quiet-harbour-lantern-42';
const SESSIONS = 10_000;
const REFRESHES = 2_000;
const SAMPLES = 300;

const median = (values: number[]): number => round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)], 3);
const p99 = (values: number[]): number =>
  round([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))], 3);

export async function benchSessions(dir: string) {
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'sessions'),
    LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    ARGON2_MEMORY_KIB: '64',
    ARGON2_TIME_COST: '1',
    ARGON2_PARALLELISM: '1',
  });
  const logger = createLogger('bench', { silent: true });
  const infra = await openInfrastructure(config, logger);
  const app = await createApi(infra, config, logger);
  const bus = app.get(CommandBus);
  try {
    const userIds: Record<string, string> = {};
    for (const email of ['fresh@bench.example', 'busy@bench.example']) {
      userIds[email] = (
        await bus.execute(new CreateUserCommand({ email, password: PASSWORD, name: 'Bench', roles: ['staff'] }, ctx))
      ).userId;
    }
    const login = (email: string) =>
      bus.execute(new LoginCommand({ email, password: PASSWORD }, { userAgent: 'bench', ipAddress: null }, ctx));

    progress(`sessions: ${SESSIONS} sign-ins of one user`);
    for (let i = 0; i < SESSIONS; i += 50)
      await Promise.all(Array.from({ length: 50 }, () => login('busy@bench.example')));

    const fresh: number[] = [];
    const busy: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      for (const [email, into] of [
        ['fresh@bench.example', fresh],
        ['busy@bench.example', busy],
      ] as const) {
        const t = performance.now();
        await login(email);
        into.push(performance.now() - t);
      }
    }
    progress(`sessions: login p50 ${median(fresh)} ms (first sessions) vs ${median(busy)} ms (after ${SESSIONS})`);

    progress(`sessions: one session refreshed ${REFRESHES} times`);
    let long = (await login('fresh@bench.example')).refreshToken;
    for (let i = 0; i < REFRESHES; i++) long = (await bus.execute(new RefreshCommand(long, ctx))).refreshToken;
    let short = (await login('fresh@bench.example')).refreshToken;
    const newRefresh: number[] = [];
    const longRefresh: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      let t = performance.now();
      short = (await bus.execute(new RefreshCommand(short, ctx))).refreshToken;
      newRefresh.push(performance.now() - t);
      t = performance.now();
      long = (await bus.execute(new RefreshCommand(long, ctx))).refreshToken;
      longRefresh.push(performance.now() - t);
    }
    progress(
      `sessions: refresh p50 ${median(newRefresh)} ms (new session) vs ${median(longRefresh)} ms (after ${REFRESHES + SAMPLES} refreshes)`,
    );
    const busyUserEvents = (await infra.events.readStream(`user-${userIds['busy@bench.example']}`)).length;

    return {
      measurements: {
        loginFirstSessionsMs: {
          value: median(fresh),
          unit: 'ms (p50)',
          p99: p99(fresh),
          params: { samples: SAMPLES, argon2: 'test cost' },
        },
        loginAfter10kSessionsMs: {
          value: median(busy),
          unit: 'ms (p50)',
          p99: p99(busy),
          params: { samples: SAMPLES, sessionsBefore: SESSIONS, userStreamEvents: busyUserEvents },
        },
        refreshNewSessionMs: {
          value: median(newRefresh),
          unit: 'ms (p50)',
          p99: p99(newRefresh),
          params: { samples: SAMPLES },
        },
        refreshLongSessionMs: {
          value: median(longRefresh),
          unit: 'ms (p50)',
          p99: p99(longRefresh),
          params: { samples: SAMPLES, refreshesBefore: REFRESHES },
        },
      },
      ratios: {
        loginBusyVsFreshUser: ratio(median(busy), median(fresh)),
        refreshLongVsNewSession: ratio(median(longRefresh), median(newRefresh)),
      },
    };
  } finally {
    await app.close();
    await infra.close();
  }
}
