import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLock, DataDirLockedError } from '../../../infrastructure/shared/data-dir-lock.js';

describe('DATA_DIR lock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is shared by any number of processes, and exclusive only once none holds it', () => {
    const a = DataDirLock.shared(dir);
    const b = DataDirLock.shared(dir);
    expect(() => DataDirLock.exclusive(dir)).toThrow(DataDirLockedError);
    expect(() => DataDirLock.exclusive(dir)).toThrow(/A Rentlog process is using .* stop every process on it first/);
    a.release();
    expect(() => DataDirLock.exclusive(dir)).toThrow(DataDirLockedError); // b still holds it
    b.release();
    const restore = DataDirLock.exclusive(dir);
    expect(() => DataDirLock.shared(dir)).toThrow(/is being restored/);
    expect(() => DataDirLock.exclusive(dir)).toThrow(DataDirLockedError);
    restore.release();
    DataDirLock.shared(dir).release();
  });
});
