/**
 * The real Rentlog API for the HTTP benchmark, in its own process: embedded SQLite stores under
 * DATA_DIR, projector running, silent logger. Prints `{"port":N,"authorization":"Bearer ..."}` (a
 * staff access token for the catalog commands) on stdout once listening; on SIGTERM prints
 * `{"stats":{...}}` and exits.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { CommandBus } from '@nestjs/cqrs';
import { CreateUserCommand } from '../application/identity/create-user.command.js';
import { LoginCommand } from '../application/identity/login.command.js';
import { systemContext } from '../application/shared/command-context.js';
import { openInfrastructure } from '../bin/composition/infrastructure.js';
import { createApi, startProjector } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite.event-store.js';
import { createLogger } from '../infrastructure/logging/logger.js';

async function main(): Promise<void> {
  if (!process.env.DATA_DIR) throw new Error('DATA_DIR must be set');
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'error',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-only-secret-bench-only-secret-0123456789',
  });
  const logger = createLogger('bench-server', { level: config.logLevel, silent: true });
  const infra = await openInfrastructure(config, logger);
  const projector = await startProjector(infra, config, logger);
  const app = await createApi(infra, config, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  const bus = app.get(CommandBus);
  const ctx = systemContext('bench');
  const staff = { email: 'bench-staff@bench.example', password: 'quiet-harbour-lantern-42' };
  await bus.execute(new CreateUserCommand({ ...staff, name: 'Bench staff', roles: ['staff'] }, ctx));
  const { accessToken } = await bus.execute(new LoginCommand(staff, { userAgent: 'bench', ipAddress: null }, ctx));
  process.stdout.write(`${JSON.stringify({ port, authorization: `Bearer ${accessToken}` })}\n`);

  process.once('SIGTERM', () => {
    void (async () => {
      const stats = infra.adapter instanceof SqliteEventStore ? infra.adapter.stats : null;
      await app.close();
      await projector.stop();
      await infra.close();
      process.stdout.write(`${JSON.stringify({ stats: { eventStore: stats } })}\n`);
      process.exit(0);
    })();
  });
}

main().catch((error: Error) => {
  process.stderr.write(`server-real: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
