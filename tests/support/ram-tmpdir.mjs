/**
 * Jest's globalSetup and globalTeardown: the test run's temporary files (every DATA_DIR a test makes
 * with os.tmpdir(), and those of the processes it starts, which inherit TMPDIR) go to a folder of
 * their own in /dev/shm, the RAM-backed tmpfs, where there is one.
 *
 * Why: the SQLite stores fsync on every commit (synchronous=FULL: the event store and the key vault),
 * and an fsync on this machine's shared virtual disk takes 5 to 8 ms; thousands of appends made that
 * most of the API suites' time. On tmpfs the same code runs, fsync included, in microseconds. What
 * the disk itself does (fsync failing, a full disk) is the fault suite's subject (`npm run
 * test:faults`, its own config, real files). Without a writable /dev/shm nothing changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

const SHM = '/dev/shm';
const MARK = 'RENTLOG_TEST_TMPDIR';

export default function setup() {
  let dir;
  try {
    dir = mkdtempSync(path.join(SHM, 'rentlog-jest-'));
  } catch {
    return; // no tmpfs here: the system's temporary folder, as before
  }
  process.env[MARK] = dir;
  process.env.TMPDIR = dir; // os.tmpdir() reads it on every call, here and in the workers
}

export function teardown() {
  const dir = process.env[MARK];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
