#!/usr/bin/env node
/**
 * Compiles the sources into dist/ with swc, only when they changed since dist/ was built: a
 * fingerprint of every TypeScript source (path, size, modification time) and of the build settings is kept
 * in dist/.fingerprint. So `npm start` twice, or `npm run projections -- status` beside a server
 * running from dist/, builds nothing. `--force` (npm run build) always builds.
 *
 * A build is written into a fresh folder and takes dist/'s place only when it is complete: dist/ is
 * never half-written or missing while swc runs. Builds run one at a time (a lock folder, `.dist-lock`):
 * test files that each build before starting servers may run at once, and a build that waited finds
 * dist/ up to date. Prints nothing unless swc fails.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['domain', 'application', 'infrastructure', 'projections', 'api', 'bin', 'bench'];
const SETTINGS = ['package.json', 'package-lock.json', '.swcrc', 'scripts/build.mjs'];
const dist = path.join(root, 'dist');
const next = path.join(root, '.dist-next');
const old = path.join(root, '.dist-old');
const stamp = path.join(dist, '.fingerprint');
const lock = path.join(root, '.dist-lock');
/** A lock older than this was left by a build that died (swc takes seconds, not minutes). */
const STALE_LOCK_MS = 5 * 60_000;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // bench/emmett/node_modules: the Emmett peer's own install (bench/emmett/package.json), not a source.
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function fingerprint() {
  const hash = createHash('sha256');
  const all = [...SOURCES.flatMap((dir) => files(path.join(root, dir))), ...SETTINGS.map((f) => path.join(root, f))];
  for (const file of all.sort()) {
    const stat = statSync(file, { throwIfNoEntry: false });
    hash.update(`${path.relative(root, file)}\t${stat?.size ?? '-'}\t${stat?.mtimeMs ?? '-'}\n`);
  }
  return hash.digest('hex');
}

/** Takes the build lock, waiting while another build holds it; the returned function gives it back. */
function takeLock() {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 100);
    }
  }
}

const force = process.argv.includes('--force');
const upToDate = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint();
if (!force && upToDate()) process.exit(0);
const release = takeLock();
process.on('exit', release);
// Another build may have finished while this one waited.
if (!force && upToDate()) process.exit(0);
const wanted = fingerprint();

rmSync(next, { recursive: true, force: true });
const swc = spawnSync(
  path.join(root, 'node_modules', '.bin', 'swc'),
  [...SOURCES, '-d', next, '-q', '--ignore', '**/node_modules/**'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (swc.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.stderr.write(`build: swc failed (${swc.error?.message ?? `exit ${swc.status ?? swc.signal}`})\n`);
  process.exit(1);
}
writeFileSync(path.join(next, '.fingerprint'), wanted);
rmSync(old, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
