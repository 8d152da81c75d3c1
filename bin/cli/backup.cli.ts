import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CommandBus } from '@nestjs/cqrs';
import Database from 'better-sqlite3';
import type { Logger } from '../../application/ports/logger.port.js';
import { EraseCustomerCommand } from '../../application/privacy/erase-customer.command.js';
import { systemContext } from '../../application/shared/command-context.js';
import { backupDataDir } from '../../infrastructure/backup/embedded-backup.js';
import { BackupInvalidError } from '../../infrastructure/backup/backup-manifest.js';
import { restoreDataDir, RestoreRefusedError } from '../../infrastructure/backup/embedded-restore.js';
import type { Config } from '../../infrastructure/config/config.js';
import { ErasureLedger } from '../../infrastructure/key-vault/erasure-ledger.js';
import { DataDirLockedError } from '../../infrastructure/shared/data-dir-lock.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { createApi } from '../composition/processes.js';
import { packageInfo } from '../composition/package-info.js';

const write = (text: string) => process.stdout.write(`${text}\n`);
const fail = (text: string, code: number) => {
  process.stderr.write(`${text}\n`);
  return code;
};

/** Exit codes of `backup` and `restore` (docs/operations.md, Backups). */
export const EXIT = { ok: 0, failed: 1, usage: 2, live: 3, invalidBackup: 4, refused: 5 } as const;

/**
 * `rentlog backup <dir> [--include-master-key]`: a consistent copy of the embedded stores while Rentlog
 * runs (SQLite's online backup API), their key files and file stores, and a manifest with checksums.
 */
export async function backupCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'include-master-key': { type: 'boolean' } } });
  } catch (error) {
    return fail(`${(error as Error).message}\nUsage: rentlog backup <dir> [--include-master-key]`, EXIT.usage);
  }
  const [dir] = parsed.positionals;
  if (!dir || parsed.positionals.length > 1)
    return fail('Usage: rentlog backup <dir> [--include-master-key]', EXIT.usage);
  if (config.eventStoreUrl || config.mongodbUrl) return fail(SERVERS_NOTE, EXIT.usage);
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0)
    return fail(`${target} is not empty: a backup goes into a new or empty folder`, EXIT.refused);
  const withKey = parsed.values['include-master-key'] === true;
  if (withKey && (config.masterKey.key || path.dirname(config.masterKey.file) !== config.dataDir))
    return fail('--include-master-key copies DATA_DIR/master.key only; this master key is kept elsewhere', EXIT.usage);
  const log = logger.child({ cli: 'backup' });
  try {
    const began = Date.now();
    const manifest = await backupDataDir(target, {
      dataDir: config.dataDir,
      masterKeyFile: withKey ? config.masterKey.file : undefined,
      version: packageInfo().version,
      logger: log,
    });
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    log.info('backup done', {
      dir: target,
      files: manifest.files.length,
      bytes,
      lastPosition: manifest.eventStore.lastPosition,
    });
    write(
      `backed up ${config.dataDir} to ${target} in ${((Date.now() - began) / 1000).toFixed(1)} s: ${manifest.files.length} files, ` +
        `${bytes} bytes, ${manifest.eventStore.events} events (last position ${manifest.eventStore.lastPosition})`,
    );
    if (!withKey && manifest.keyVault.masterKeyIds.length > 0)
      write(
        `the backup holds no master key: keep master key ${manifest.keyVault.masterKeyIds.join(', ')} apart from it`,
      );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DataDirLockedError) return fail(error.message, EXIT.live);
    log.error('backup failed', { error: (error as Error).message });
    return fail(`backup failed: ${(error as Error).message}`, EXIT.failed);
  }
}

/**
 * `rentlog restore <dir> [--force]`: the backup verified, put in place in DATA_DIR (refused while a
 * process holds it, or when it is not empty without --force), then the erasure ledger re-applied.
 */
export async function restoreCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  } catch (error) {
    return fail(`${(error as Error).message}\nUsage: rentlog restore <dir> [--force]`, EXIT.usage);
  }
  const [dir] = parsed.positionals;
  if (!dir || parsed.positionals.length > 1) return fail('Usage: rentlog restore <dir> [--force]', EXIT.usage);
  if (config.eventStoreUrl || config.mongodbUrl) return fail(SERVERS_NOTE, EXIT.usage);
  const log = logger.child({ cli: 'restore' });
  let restored;
  try {
    restored = await restoreDataDir(path.resolve(dir), {
      dataDir: config.dataDir,
      force: parsed.values.force === true,
      masterKey: config.masterKey,
      erasureLedgerFile: config.erasureLedgerFile,
      logger: log,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) return fail(`restore refused: ${error.message}`, EXIT.live);
    if (error instanceof BackupInvalidError) return fail(`restore refused: ${error.message}`, EXIT.invalidBackup);
    if (error instanceof RestoreRefusedError) return fail(`restore refused: ${error.message}`, EXIT.refused);
    log.error('restore failed', { error: (error as Error).message });
    return fail(`restore failed: ${(error as Error).message}`, EXIT.failed);
  }
  const { manifest, lock } = restored;
  try {
    const erased = await reapplyErasures(config, log);
    log.info('restore done', { dataDir: config.dataDir, lastPosition: manifest.eventStore.lastPosition, erased });
    write(
      `restored ${manifest.files.length} files of the backup taken ${manifest.finishedAt} (Rentlog ${manifest.rentlog}) ` +
        `into ${config.dataDir}: ${manifest.eventStore.events} events (last position ${manifest.eventStore.lastPosition}); ` +
        `erasure ledger: ${erased} data keys destroyed again`,
    );
    return EXIT.ok;
  } catch (error) {
    log.error('erasures not applied again', { error: (error as Error).message });
    return fail(
      `restored, but the erasure ledger could not be applied again: ${(error as Error).message}; ` +
        'run the restore again with --force before starting Rentlog',
      EXIT.failed,
    );
  } finally {
    lock.release();
  }
}

const SERVERS_NOTE =
  'backup and restore cover the embedded stores only (no EVENTSTORE_URL, no MONGODB_URL): back up EventStoreDB ' +
  'and MongoDB with their own tools, in the order docs/operations.md (Backups and restores) gives';

/**
 * Erasures the ledger holds that the restored key vault has not (they happened after the backup): a
 * customer is erased again through the command path (its events appended, its keys destroyed, its
 * files deleted), any other subject's key destroyed. Answers how many were applied again.
 */
async function reapplyErasures(config: Config, logger: Logger): Promise<number> {
  const keysDb = path.join(config.dataDir, 'keys.db');
  const ledger = new ErasureLedger(config.erasureLedgerFile).read();
  if (ledger.length === 0) return 0;
  const destroyed = new Set<string>();
  if (existsSync(keysDb)) {
    const db = new Database(keysDb, { readonly: true });
    try {
      for (const row of db.prepare('SELECT subject FROM data_keys WHERE destroyed_at IS NOT NULL').all() as Array<{
        subject: string;
      }>)
        destroyed.add(row.subject);
    } finally {
      db.close();
    }
  }
  const pending = [...new Set(ledger.map((e) => e.subject))].filter((s) => !destroyed.has(s));
  if (pending.length === 0) return 0;
  const infra = await openInfrastructure(config, logger, { lock: false }); // the restore holds DATA_DIR
  try {
    const app = await createApi(infra, config, logger);
    try {
      const bus = app.get(CommandBus);
      for (const subject of pending) {
        const customerId = subject.startsWith('customer:') ? subject.slice('customer:'.length) : undefined;
        if (customerId) {
          try {
            await bus.execute(new EraseCustomerCommand(customerId, systemContext(`restore-erasure-${customerId}`)));
          } catch (error) {
            // Registered after the backup: no stream to erase, but its key must never come back.
            logger.warn('customer not in the restored log; its key destroyed', {
              customerId,
              error: (error as Error).message,
            });
          }
        }
        await infra.keyVault.destroy(subject);
        if (customerId) await infra.blobs.deleteSubject(subject);
      }
    } finally {
      await app.close();
    }
  } finally {
    await infra.close();
  }
  logger.info('erasures applied again', { subjects: pending.length });
  return pending.length;
}
