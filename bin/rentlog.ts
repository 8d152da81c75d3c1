#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, StartupError, loadConfig, type Config } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import type { ProcessRole } from './composition/processes.js';

// Every command loads its own modules (a dynamic import) once the config is read: a process that only
// reports a config error, or one CLI command, does not load Nest and every other command first.
const usage = `Usage: rentlog <command>
  start [all|api|projector|worker]   run the processes (default: all three in one process)
  projections status                 each read model's version, checkpoint, lag and state
  projections rebuild <name>         rebuild a read model from position zero, then swap it in
  privacy rewrap                     rewrap every data key under the current MASTER_KEY (after a rotation)
  privacy erase-inactive             erase customers with no order for RETENTION_ERASE_AFTER_DAYS days
  outbox list|show <id>|prune [days]  the mails of the outbox folder (no SMTP_URL), opened with their keys
  seed                               fill an empty shop with demo products, customers and orders
  audit verify [--from <position>]   recompute every hash chain and signed checkpoint (exit 1 when broken)
  audit checkpoint                   record signed Merkle checkpoints of every hash chain now
  jobs status                        queues, schedules, workers and dead jobs with their last error
  jobs retry <id>                    run a dead job again from its first attempt
  export [--from] [--to] [--type]    the log (or a range of it) as NDJSON on stdout
  backup <dir> [--include-master-key]  a consistent copy of the embedded stores while Rentlog runs, with a manifest
  restore <dir> [--force]            a verified backup into DATA_DIR (no process may hold it), erasures re-applied`;

async function main(argv: string[]): Promise<number> {
  // audit, export, backup and restore take options of their own; the other commands take none.
  const own = ['audit', 'export', 'backup', 'restore'].includes(argv[0] ?? '');
  const [command, ...rest] = own ? argv : parseArgs({ args: argv, allowPositionals: true, strict: true }).positionals;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // The CLI commands (seed, projections) answer on stdout and log only warnings, unless LOG_LEVEL says otherwise.
  const level = command === 'start' || process.env.LOG_LEVEL ? config.logLevel : 'warn';
  const logger = createLogger('rentlog', { level });
  if (command === 'start') {
    try {
      const role = rest[0] ?? 'all';
      if (!isRole(role)) {
        process.stderr.write(`Unknown process "${role}".\n${usage}\n`);
        return 2;
      }
      const { startCommand } = await import('./cli/start.cli.js');
      return await startCommand(config, logger, role);
    } catch (error) {
      // A setting only the application can judge (an ADMIN_PASSWORD the policy refuses): one line, as above.
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
  }
  if (command === 'projections')
    return (await import('./cli/projections.cli.js')).projectionsCommand(config, logger, rest);
  if (command === 'privacy') return (await import('./cli/privacy.cli.js')).privacyCommand(config, logger, rest);
  if (command === 'outbox') return (await import('./cli/outbox.cli.js')).outboxCommand(config, logger, rest);
  if (command === 'seed') return (await import('./cli/seed.cli.js')).seed(config, logger);
  if (command === 'audit') return (await import('./cli/audit.cli.js')).auditCommand(config, logger, rest);
  if (command === 'export') return (await import('./cli/audit.cli.js')).exportCommand(config, logger, rest);
  if (command === 'jobs') return (await import('./cli/jobs.cli.js')).jobsCommand(config, logger, rest);
  if (command === 'backup') return (await import('./cli/backup.cli.js')).backupCommand(config, logger, rest);
  if (command === 'restore') return (await import('./cli/backup.cli.js')).restoreCommand(config, logger, rest);
  process.stderr.write(`${usage}\n`);
  return command === undefined || command === 'help' ? 0 : 2;
}

const isRole = (role: string): role is ProcessRole => ['all', 'api', 'projector', 'worker'].includes(role);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`); // a store that cannot serve as configured: one line
      process.exit(2);
    }
    process.stderr.write(
      `${JSON.stringify({ level: 'error', message: 'fatal', error: error.message, stack: error.stack })}\n`,
    );
    process.exit(1);
  },
);
