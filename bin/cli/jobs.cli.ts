import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Logger } from '../../application/ports/logger.port.js';
import { GetJobsQuery } from '../../application/shared/jobs.query.js';
import { RetryJobCommand } from '../../application/shared/retry-job.command.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Config } from '../../infrastructure/config/config.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { createWorkerContext } from '../composition/processes.js';

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const table = (io: Io, head: string[], rows: unknown[][]) => {
  io.out.write(`${head.join('\t')}\n`);
  for (const row of rows)
    io.out.write(`${row.map((c) => (c === null || c === undefined ? '-' : String(c))).join('\t')}\n`);
};

/**
 * `rentlog jobs status`: the queues, schedules, live workers and dead jobs (what GET /v1/jobs answers);
 * `rentlog jobs retry <id>`: a dead job runs again from its first attempt (exit 1 when there is no such
 * job or it is not dead). Through the application's query and command buses, as the api does.
 */
export async function jobsCommand(
  config: Config,
  logger: Logger,
  args: string[],
  io: Io = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [sub, id] = args;
  if (!(sub === 'status' && id === undefined) && !(sub === 'retry' && id !== undefined && args.length === 2)) {
    io.err.write('Usage: rentlog jobs status | retry <id>\n');
    return 2;
  }
  const quiet = logger.child({ cli: 'jobs' });
  const infra = await openInfrastructure(config, quiet);
  const app = await createWorkerContext(infra, config, quiet);
  try {
    if (sub === 'retry') {
      try {
        await app.get(CommandBus).execute(new RetryJobCommand(id));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        io.err.write(`${error.code}: ${error.message}\n`);
        return 1;
      }
      io.out.write(`retried ${id}: pending\n`);
      return 0;
    }
    const view = await app.get(QueryBus).execute(new GetJobsQuery());
    table(
      io,
      ['queue', 'pending', 'running', 'failed'],
      view.queues.map((q) => [q.name, q.pending, q.running, q.failed]),
    );
    io.out.write('\n');
    table(
      io,
      ['schedule', 'cron', 'queue', 'last run', 'status', 'next run'],
      view.schedules.map((s) => [s.name, s.cron, s.queue, s.lastRunAt, s.enabled ? s.lastStatus : 'off', s.nextRunAt]),
    );
    io.out.write('\n');
    table(
      io,
      ['worker', 'host', 'last heartbeat'],
      view.workers.map((w) => [w.workerId, w.host, w.lastHeartbeatAt]),
    );
    io.out.write('\n');
    table(
      io,
      ['dead job', 'type', 'queue', 'attempts', 'failed at', 'last error'],
      view.failed.map((f) => [f.jobId, f.type, f.queue, f.attempts, f.failedAt, f.lastError]),
    );
    return 0;
  } finally {
    await app.close();
    await infra.close();
  }
}
