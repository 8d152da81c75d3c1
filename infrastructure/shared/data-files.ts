import { chmodSync, existsSync, mkdirSync } from 'node:fs';

/**
 * Data files and folders are the owner's only: folders 0700, files 0600. SQLite makes its `-wal` and
 * `-shm` files with the mode of the database file, so securing the database file covers them.
 */
export function secureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The database file and the WAL and shared-memory files SQLite may have made already (with the mode it had then). */
export function secureDataFile(file: string): void {
  if (file === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
}
