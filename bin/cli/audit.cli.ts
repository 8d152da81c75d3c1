import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ExportEventsQuery } from '../../application/audit/audit.queries.js';
import { RecordExportCommand } from '../../application/audit/record-export.command.js';
import { TakeCheckpointCommand } from '../../application/audit/take-checkpoint.command.js';
import { VerifyAuditQuery } from '../../application/audit/verify-audit.query.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { systemContext } from '../../application/shared/command-context.js';
import type { Config } from '../../infrastructure/config/config.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { createWorkerContext } from '../composition/processes.js';

const usage = `Usage: rentlog audit verify [--from <position>]   recompute every hash chain and checkpoint (exit 1 when broken)
       rentlog audit checkpoint                 record signed checkpoints up to the head of the log`;

const POSITION = /^[0-9]{1,20}$/;

/** Where a command writes: its answer on `out`, usage and progress on `err`. */
export interface CliIo {
  out: Writable;
  err: Writable;
}
const STDIO: CliIo = { out: process.stdout, err: process.stderr };

/** The application over the configured stores, for one command of the CLI. */
async function withApplication<T>(
  config: Config,
  logger: Logger,
  run: (buses: { queries: QueryBus; commands: CommandBus }) => Promise<T>,
): Promise<T> {
  const infra = await openInfrastructure(config, logger);
  try {
    const context = await createWorkerContext(infra, config, logger);
    try {
      return await run({
        queries: context.get(QueryBus, { strict: false }),
        commands: context.get(CommandBus, { strict: false }),
      });
    } finally {
      await context.close();
    }
  } finally {
    await infra.close();
  }
}

/** `rentlog audit verify` and `rentlog audit checkpoint`. */
export async function auditCommand(config: Config, logger: Logger, args: string[], io = STDIO): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { from: { type: 'string' } },
  });
  const [sub] = positionals;
  if ((sub !== 'verify' && sub !== 'checkpoint') || (values.from !== undefined && !POSITION.test(values.from))) {
    io.err.write(`${usage}\n`);
    return 2;
  }
  const quiet = logger.child({ cli: 'audit' });
  return withApplication(config, quiet, async ({ queries, commands }) => {
    if (sub === 'checkpoint') {
      const taken = await commands.execute(new TakeCheckpointCommand(systemContext('cli-audit-checkpoint')));
      io.out.write(`${JSON.stringify(taken, null, 2)}\n`);
      return 0;
    }
    const started = Date.now();
    const report = await queries.execute(
      new VerifyAuditQuery(BigInt(values.from ?? '0'), (n) => io.err.write(`\rverified ${n} events`)),
    );
    io.err.write(`\rverified ${report.checkedEvents} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    io.out.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  });
}

/**
 * `rentlog export --from <position> --to <position> --type <T[,T]>`: the log as NDJSON on stdout (or
 * `--out <file>`), pulled a page at a time as the output drains.
 */
export async function exportCommand(config: Config, logger: Logger, args: string[], io = STDIO): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if ((values.from && !POSITION.test(values.from)) || (values.to && !POSITION.test(values.to))) {
    io.err.write(
      'Usage: rentlog export [--from <position>] [--to <position>] [--type <Type[,Type]>] [--since <ISO time>] [--until <ISO time>] [--out <file>]\n',
    );
    return 2;
  }
  return withApplication(config, logger.child({ cli: 'export' }), async ({ queries, commands }) => {
    const criteria = {
      fromPosition: values.from,
      toPosition: values.to,
      type: values.type,
      since: values.since,
      until: values.until,
    };
    const events = await queries.execute(new ExportEventsQuery(criteria));
    await commands.execute(
      new RecordExportCommand(
        criteria,
        { ipAddress: null, userAgent: 'rentlog-cli' },
        { ...systemContext('cli-export'), actor: { userId: 'cli', role: 'system' } },
      ),
    );
    const out = values.out ? createWriteStream(values.out) : io.out;
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const event of events) yield `${JSON.stringify(event)}\n`;
        })(),
      ),
      out,
      { end: out !== process.stdout },
    );
    return 0;
  });
}
