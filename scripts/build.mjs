#!/usr/bin/env node
/**
 * Compiles the sources into dist/ with swc, only when they changed since dist/ was built: a
 * fingerprint of every TypeScript source (path, size, modification time) and of the build settings is kept
 * in dist/.fingerprint. So `npm start` twice, or `npm run projections -- status` beside a server
 * running from dist/, builds nothing. `--force` (npm run build) always builds.
 *
 * A build is written into a fresh folder and takes dist/'s place only when it is complete: dist/ is
 * never half-written or missing while swc runs. Prints nothing unless swc fails.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['domain', 'application', 'infrastructure', 'projections', 'api', 'bin', 'bench'];
const SETTINGS = ['package.json', 'package-lock.json', '.swcrc', 'scripts/build.mjs'];
const dist = path.join(root, 'dist');
const next = path.join(root, '.dist-next');
const old = path.join(root, '.dist-old');
const stamp = path.join(dist, '.fingerprint');

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

const force = process.argv.includes('--force');
const wanted = fingerprint();
if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0);

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
