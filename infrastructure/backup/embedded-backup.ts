import { chmod, copyFile, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../application/ports/logger.port.js';
import { DataDirLock } from '../shared/data-dir-lock.js';
import { describeFile, MANIFEST, MANIFEST_FORMAT, type BackupFile, type BackupManifest } from './backup-manifest.js';

/**
 * The embedded stores in the order a backup copies them. The read store before the event store: a
 * projection only applies events already in the log, so read models copied first are never ahead of
 * the log copied after them (behind is fine: projections catch up). The job store between them: a
 * workflow enqueues its jobs before its checkpoint (in the read store) passes their event, so every
 * job of a checkpointed event is in the later copy, and a job is marked done only after the events
 * it appended, which the event store's copy, later still, holds. The key vault after the event store:
 * a data key is made before the first event encrypted under it, so every event copied has its key.
 * Rate limits (and any other `*.db` in DATA_DIR) first: nothing depends on them.
 */
export const STORE_ORDER = ['rate-limits.db', 'read-models.db', 'jobs.db', 'events.db', 'keys.db'];
/** After the stores: the key files the stores need (never the master key, unless asked) and the file stores. */
export const KEY_FILES = ['blind-index.key', 'audit-signing.key'];
export const FILE_FOLDERS = ['blobs', 'outbox'];

export interface BackupOptions {
  dataDir: string;
  /** The master key file to copy too (`--include-master-key`); unset: the backup holds no master key. */
  masterKeyFile?: string;
  version: string;
  logger: Logger;
}

export async function backupDataDir(target: string, options: BackupOptions): Promise<BackupManifest> {
  const { dataDir, logger } = options;
  const startedAt = new Date().toISOString();
  const lock = DataDirLock.shared(dataDir); // no restore may replace DATA_DIR while it is copied
  try {
    if (!existsSync(path.join(dataDir, 'events.db')))
      throw new Error(`${dataDir} holds no events.db: nothing to back up`);
    await mkdir(target, { recursive: true, mode: 0o700 });
    const files: BackupFile[] = [];
    for (const name of await storesIn(dataDir)) {
      const began = Date.now();
      await backupSqlite(path.join(dataDir, name), path.join(target, name));
      files.push(await durable(target, name, 'sqlite'));
      logger.info('store copied', { file: name, bytes: files.at(-1)!.bytes, ms: Date.now() - began });
    }
    const plain = [...KEY_FILES];
    if (options.masterKeyFile) plain.push(path.relative(dataDir, options.masterKeyFile));
    for (const name of plain) {
      if (!existsSync(path.join(dataDir, name))) continue;
      await copyFile(path.join(dataDir, name), path.join(target, name));
      files.push(await durable(target, name, 'file'));
    }
    for (const folder of FILE_FOLDERS) files.push(...(await copyFolder(dataDir, target, folder)));
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      rentlog: options.version,
      startedAt,
      finishedAt: new Date().toISOString(),
      dataDir,
      eventStore: eventStoreOf(path.join(target, 'events.db')),
      readStore: { checkpoints: checkpointsOf(path.join(target, 'read-models.db')) },
      keyVault: { ...keyVaultOf(path.join(target, 'keys.db')), includesMasterKey: Boolean(options.masterKeyFile) },
      files,
    };
    const last = BigInt(manifest.eventStore.lastPosition);
    const ahead = Object.entries(manifest.readStore.checkpoints).filter(([, p]) => BigInt(p) > last);
    if (ahead.length > 0)
      throw new Error(`read models ahead of the log in the copy: ${ahead.map(([n]) => n).join(', ')}`);
    await writeDurably(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    lock.release();
  }
}

async function storesIn(dataDir: string): Promise<string[]> {
  const found = (await readdir(dataDir)).filter((n) => n.endsWith('.db'));
  const at = STORE_ORDER.indexOf('read-models.db');
  const others = found.filter((n) => !STORE_ORDER.includes(n)).sort();
  const present = (names: string[]) => names.filter((n) => found.includes(n));
  return [...present(STORE_ORDER.slice(0, at)), ...others, ...present(STORE_ORDER.slice(at))];
}

/**
 * SQLite's online backup API: a consistent copy of the database as of one moment while other processes
 * keep writing. The first step only opens the backup; the second copies every page in one step, under one
 * read transaction, so no writer in between makes SQLite restart it (which small steps under load would).
 */
async function backupSqlite(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE'); // a single self-contained file, no -wal beside it
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${path.basename(target)}: the copy fails SQLite's quick_check: ${check}`);
  } finally {
    copy.close();
  }
}

/** Every finished file of a file store (a `.tmp` is a write in progress: its blob is not yet referenced). */
async function copyFolder(root: string, target: string, folder: string): Promise<BackupFile[]> {
  const files: BackupFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const name = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(name);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        await mkdir(path.join(target, relative), { recursive: true, mode: 0o700 });
        await copyFile(path.join(root, name), path.join(target, name));
        files.push(await durable(target, name, 'file'));
      }
    }
  };
  await walk(folder);
  return files;
}

function readOnly<T>(file: string, read: (db: Database.Database) => T, none: T): T {
  if (!existsSync(file)) return none;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const eventStoreOf = (file: string) =>
  readOnly(
    file,
    (db) => {
      const row = db.prepare('SELECT max(position) AS last, count(*) AS n FROM events').get() as {
        last: number | bigint | null;
        n: number;
      };
      return { lastPosition: String(row.last ?? 0), events: row.n };
    },
    { lastPosition: '0', events: 0 },
  );

const checkpointsOf = (file: string) =>
  readOnly(
    file,
    (db) => {
      const rows = db.prepare('SELECT name, position FROM _checkpoints ORDER BY name').all() as Array<{
        name: string;
        position: string;
      }>;
      return Object.fromEntries(rows.map((r) => [r.name, r.position]));
    },
    {} as Record<string, string>,
  );

const keyVaultOf = (file: string) =>
  readOnly(
    file,
    (db) => {
      const ids = db
        .prepare('SELECT DISTINCT master_key_id AS id FROM data_keys WHERE wrapped IS NOT NULL ORDER BY 1')
        .all() as Array<{ id: string }>;
      const { keys, destroyed } = db
        .prepare('SELECT count(*) AS keys, count(destroyed_at) AS destroyed FROM data_keys')
        .get() as { keys: number; destroyed: number };
      return { masterKeyIds: ids.map((r) => r.id), keys, destroyed };
    },
    { masterKeyIds: [] as string[], keys: 0, destroyed: 0 },
  );

/** Flushed to disk, then described: what the manifest's checksum covers is what the disk holds. */
async function durable(root: string, relative: string, kind: BackupFile['kind']): Promise<BackupFile> {
  await chmod(path.join(root, relative), 0o600); // secrets and personal data: the owner's only, as in DATA_DIR
  const handle = await open(path.join(root, relative), 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return describeFile(root, relative, kind);
}

async function writeDurably(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
