/**
 * The cost of personal-data encryption on the command and query paths: registering customers
 * (through the command bus: claim, events sealed under a new data key per customer) and reading a
 * customer (through the query bus: its read-model document opened; and as a client reads it,
 * `GET /v1/customers/{id}` through the whole HTTP stack, in process with Fastify's inject), on the
 * real application with encryption, against the same application with it turned off, in interleaved
 * rounds, in the same run.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GetCustomerQuery } from '../application/customer/customer.queries.js';
import { RegisterCustomerCommand } from '../application/customer/register-customer.command.js';
import { CreateUserCommand } from '../application/identity/create-user.command.js';
import { LoginCommand } from '../application/identity/login.command.js';
import { systemContext, type CommandContext } from '../application/shared/command-context.js';
import { openInfrastructure } from '../bin/composition/infrastructure.js';
import { createApi, startProjector } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { progress, ratio, round } from './support.js';

const ctx: CommandContext = { actor: { userId: 'bench', role: 'staff' }, correlationId: 'bench', causationId: 'bench' };
const ROUNDS = 5;
const REGISTER_PER_ROUND = 200;
const READS_PER_ROUND = 2_000;
const HTTP_READS_PER_ROUND = 2_000;

async function openShop(dir: string, encrypted: boolean) {
  const config = loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    RATE_LIMIT_QUERIES: '100000000', // one client reading thousands of times a round
  });
  const logger = createLogger('bench', { silent: true });
  const infra = await openInfrastructure(config, logger, encrypted ? {} : { encryption: false });
  const projector = await startProjector(infra, config, logger);
  const app = await createApi(infra, config, logger);
  const bus = app.get(CommandBus);
  const staff = { email: 'bench-staff@bench.example', password: 'quiet-harbour-lantern-42' };
  await bus.execute(new CreateUserCommand({ ...staff, name: 'Bench staff', roles: ['staff'] }, systemContext('bench')));
  const { accessToken } = await bus.execute(
    new LoginCommand(staff, { userAgent: 'bench', ipAddress: null }, systemContext('bench')),
  );
  const http = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  const authorization = `Bearer ${accessToken}`;
  return {
    commands: bus,
    queries: app.get(QueryBus),
    async get(id: string) {
      const response = await http.inject({ method: 'GET', url: `/v1/customers/${id}`, headers: { authorization } });
      if (response.statusCode !== 200) throw new Error(`GET /v1/customers/{id}: ${response.statusCode}`);
    },
    infra,
    async close() {
      await app.close();
      await projector.stop();
      await infra.close();
    },
  };
}

export async function benchPrivacy(dir: string) {
  const shops = {
    plain: await openShop(path.join(dir, 'plain'), false),
    encrypted: await openShop(path.join(dir, 'encrypted'), true),
  };
  const registerMs = { plain: 0, encrypted: 0 };
  const readMs = { plain: 0, encrypted: 0 };
  const httpMs = { plain: 0, encrypted: 0 };
  let n = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 ? (['encrypted', 'plain'] as const) : (['plain', 'encrypted'] as const)) {
        const shop = shops[kind];
        const ids: string[] = [];
        const t = performance.now();
        for (let i = 0; i < REGISTER_PER_ROUND; i++) {
          const input = {
            name: `Bench Customer ${++n}`,
            email: `bench-${n}@bench.example`,
            phone: '+44 20 7946 0000',
            address: `${n} Bench Street, London`,
          };
          ids.push((await shop.commands.execute(new RegisterCustomerCommand(input, ctx))).customerId);
        }
        registerMs[kind] += performance.now() - t;
        const head = await shop.infra.events.headPosition();
        for (;;) {
          const at = await shop.infra.store.getCheckpoint('customers');
          if (at !== null && at >= head) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const r = performance.now();
        for (let i = 0; i < READS_PER_ROUND; i++) await shop.queries.execute(new GetCustomerQuery(ids[i % ids.length]));
        readMs[kind] += performance.now() - r;
        const h = performance.now();
        for (let i = 0; i < HTTP_READS_PER_ROUND; i++) await shop.get(ids[i % ids.length]);
        httpMs[kind] += performance.now() - h;
      }
      progress(`privacy: round ${round + 1}/${ROUNDS}`);
    }
  } finally {
    await shops.plain.close();
    await shops.encrypted.close();
  }
  const perOp = (ms: number, count: number) => round((ms / (count * ROUNDS)) * 1000, 1);
  const registerUs = {
    plain: perOp(registerMs.plain, REGISTER_PER_ROUND),
    encrypted: perOp(registerMs.encrypted, REGISTER_PER_ROUND),
  };
  const readUs = { plain: perOp(readMs.plain, READS_PER_ROUND), encrypted: perOp(readMs.encrypted, READS_PER_ROUND) };
  const httpUs = {
    plain: perOp(httpMs.plain, HTTP_READS_PER_ROUND),
    encrypted: perOp(httpMs.encrypted, HTTP_READS_PER_ROUND),
  };
  progress(
    `privacy: register ${registerUs.encrypted} µs vs ${registerUs.plain} µs plain; read ${readUs.encrypted} µs vs ${readUs.plain} µs plain; GET ${httpUs.encrypted} µs vs ${httpUs.plain} µs plain`,
  );
  const params = { rounds: ROUNDS, registerPerRound: REGISTER_PER_ROUND, readsPerRound: READS_PER_ROUND };
  const httpParams = {
    rounds: ROUNDS,
    readsPerRound: HTTP_READS_PER_ROUND,
    route: 'GET /v1/customers/{id}',
    how: "Fastify's inject: the whole HTTP stack (auth, hooks, Nest, the query, serialization) without the socket",
  };
  return {
    measurements: {
      registerCustomerEncryptedUs: { value: registerUs.encrypted, unit: 'µs per command (mean)', params },
      registerCustomerPlainUs: {
        value: registerUs.plain,
        unit: 'µs per command (mean)',
        params: { ...params, baseline: true },
      },
      readCustomerEncryptedUs: { value: readUs.encrypted, unit: 'µs per query (mean)', params },
      readCustomerPlainUs: { value: readUs.plain, unit: 'µs per query (mean)', params: { ...params, baseline: true } },
      getCustomerEncryptedUs: { value: httpUs.encrypted, unit: 'µs per request (mean)', params: httpParams },
      getCustomerPlainUs: {
        value: httpUs.plain,
        unit: 'µs per request (mean)',
        params: { ...httpParams, baseline: true },
      },
    },
    ratios: {
      // Speed with encryption over speed without (1 = no cost; the target, at most 15% slower, is >= 0.87).
      registerCustomerEncryptedVsPlain: ratio(registerUs.plain, registerUs.encrypted),
      readCustomerEncryptedVsPlain: ratio(readUs.plain, readUs.encrypted),
      getCustomerEncryptedVsPlain: ratio(httpUs.plain, httpUs.encrypted),
    },
  };
}
