import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../application/ports/logger.port.js';
import { parseMasterKey } from '../key-vault/master-keys.js';
import { DataDirLock, LOCK_FILE } from '../shared/data-dir-lock.js';
import { BackupInvalidError, describeFile, verifyBackup, type BackupManifest } from './backup-manifest.js';
import { FILE_FOLDERS, KEY_FILES } from './embedded-backup.js';

/** A restore that would do harm, refused before anything in DATA_DIR is touched. */
export class RestoreRefusedError extends Error {
  readonly code = 'RESTORE_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export interface RestoreOptions {
  dataDir: string;
  /** Replace what a non-empty (and not live) DATA_DIR holds. */
  force: boolean;
  /** The configured master keys (MASTER_KEY / MASTER_KEY_FILE, MASTER_KEYS_PREVIOUS). */
  masterKey: { key?: string; file: string; previous: string[] };
  /** Left in place: it outlives every restore. */
  erasureLedgerFile: string;
  logger: Logger;
}

/**
 * Verifies every file of the backup against its manifest (size and SHA-256), takes DATA_DIR's lock
 * exclusively (refused while any Rentlog process holds it), checks the target is empty (or `force`)
 * and that the configured master key unwraps the backup's data keys, then puts the files in place.
 * Answers with the lock still held: the caller re-applies the erasure ledger before anyone starts.
 */
export async function restoreDataDir(
  source: string,
  options: RestoreOptions,
): Promise<{ manifest: BackupManifest; lock: DataDirLock }> {
  const { dataDir, logger } = options;
  const manifest = await verifyBackup(source);
  logger.info('backup verified', { files: manifest.files.length, lastPosition: manifest.eventStore.lastPosition });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = DataDirLock.exclusive(dataDir);
  try {
    const kept = keptNames(options);
    const present = (await readdir(dataDir)).filter((n) => !kept.has(n));
    if (present.length > 0 && !options.force)
      throw new RestoreRefusedError(
        `${dataDir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}): ` +
          'restore into an empty DATA_DIR, or pass --force to replace what it holds',
      );
    checkMasterKey(manifest, source, options);
    for (const name of present.filter(owned)) await rm(path.join(dataDir, name), { recursive: true, force: true });
    for (const file of manifest.files) {
      const target = path.join(dataDir, file.path);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const partial = `${target}.restoring`;
      await copyFile(path.join(source, file.path), partial);
      await chmod(partial, 0o600);
      await sync(partial);
      const copied = await describeFile(dataDir, path.relative(dataDir, partial), file.kind);
      if (copied.sha256 !== file.sha256) throw new BackupInvalidError(`${file.path} changed while it was copied`);
      await rename(partial, target);
    }
    await sync(dataDir);
    return { manifest, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** What stays in DATA_DIR across a restore, and does not make it "not empty". */
function keptNames(options: RestoreOptions): Set<string> {
  const kept = new Set([LOCK_FILE, `${LOCK_FILE}-journal`]);
  for (const file of [options.erasureLedgerFile, options.masterKey.file])
    if (path.dirname(file) === options.dataDir) kept.add(path.basename(file));
  return kept;
}

/** What a restore replaces with `--force`: the stores (and any SQLite leftovers beside them) and their files. */
const owned = (name: string): boolean =>
  /\.db(-wal|-shm|-journal)?$/.test(name) || KEY_FILES.includes(name) || FILE_FOLDERS.includes(name);

/** Each master key the backup's live data keys are wrapped by must be configured, else they are all lost. */
function checkMasterKey(manifest: BackupManifest, source: string, options: RestoreOptions): void {
  const { key, file, previous } = options.masterKey;
  const configured = new Set(previous.map((k) => parseMasterKey(k).id));
  const inBackup = path.join(source, path.relative(options.dataDir, file));
  const keyText = key ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  // A backup made with --include-master-key brings DATA_DIR/master.key: it serves only where that file is the key.
  const fromBackup =
    !key && manifest.keyVault.includesMasterKey && existsSync(inBackup) ? readFileSync(inBackup, 'utf8') : undefined;
  if (fromBackup && keyText && parseMasterKey(fromBackup).id !== parseMasterKey(keyText).id)
    throw new RestoreRefusedError(
      `${file} holds another master key than the backup's: move it away first (a restore never replaces a master key)`,
    );
  for (const text of [keyText, fromBackup]) if (text) configured.add(parseMasterKey(text).id);
  const missing = manifest.keyVault.masterKeyIds.filter((id) => !configured.has(id));
  if (missing.length > 0)
    throw new RestoreRefusedError(
      `The backup's data keys are wrapped by master key ${missing.join(', ')}, which is not configured ` +
        `(${key ? 'MASTER_KEY' : `no such key in ${file}`}): set MASTER_KEY or MASTER_KEY_FILE to it ` +
        '(a backup holds no master key), or every encrypted personal field of the backup is lost',
    );
}

async function sync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
