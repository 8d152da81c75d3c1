import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** The manifest's own name in a backup folder: written last, so a folder without it is an unfinished backup. */
export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 'rentlog-backup/1';

export interface BackupFile {
  /** Relative to the backup folder (and to DATA_DIR), with `/` separators. */
  path: string;
  kind: 'sqlite' | 'file';
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  rentlog: string;
  startedAt: string;
  finishedAt: string;
  /** DATA_DIR it was taken from. */
  dataDir: string;
  /** The last event in the backup's event store (global position; gap-free on SQLite) and how many there are. */
  eventStore: { lastPosition: string; events: number };
  /** Each read model's checkpoint in the backup: never past `eventStore.lastPosition` (the read store is copied first). */
  readStore: { checkpoints: Record<string, string> };
  /** The master keys the backup's live data keys are wrapped by (ids, never the keys): a restore needs each. */
  keyVault: { masterKeyIds: string[]; keys: number; destroyed: number; includesMasterKey: boolean };
  /** In the order they were copied. */
  files: BackupFile[];
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(root: string, relative: string, kind: BackupFile['kind']): Promise<BackupFile> {
  const file = path.join(root, relative);
  return { path: relative, kind, bytes: (await stat(file)).size, sha256: await sha256Of(file) };
}

/** A backup folder's problem, or the manifest and its files when every size and checksum matches. */
export class BackupInvalidError extends Error {
  readonly code = 'BACKUP_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'BackupInvalidError';
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file))
    throw new BackupInvalidError(`${dir} holds no ${MANIFEST}: not a backup, or an unfinished one`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupInvalidError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files))
    throw new BackupInvalidError(`${file} is not a ${MANIFEST_FORMAT} manifest`);
  for (const f of manifest.files)
    if (path.isAbsolute(f.path) || f.path.split('/').includes('..'))
      throw new BackupInvalidError(`${file} names a file outside the backup: ${f.path}`);
  return manifest;
}

/** Every file the manifest lists, present with its size and SHA-256; throws on the first that is not. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifest = readManifest(dir);
  for (const expected of manifest.files) {
    const file = path.join(dir, expected.path);
    if (!existsSync(file)) throw new BackupInvalidError(`${expected.path} is missing from the backup`);
    const found = await describeFile(dir, expected.path, expected.kind);
    if (found.bytes !== expected.bytes || found.sha256 !== expected.sha256)
      throw new BackupInvalidError(
        `${expected.path} does not match the manifest (sha256 ${found.sha256.slice(0, 12)}…, ${found.bytes} bytes; ` +
          `expected ${expected.sha256.slice(0, 12)}…, ${expected.bytes} bytes): the backup is damaged`,
      );
  }
  return manifest;
}
