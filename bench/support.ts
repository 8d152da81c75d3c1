/** Small helpers shared by the benchmark steps: progress lines, timing, temp dirs, machine info. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const started = performance.now();

/** One progress line on stderr, stamped with the seconds since the run began. */
export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Runs `work` and answers its result with the elapsed milliseconds. */
export async function timed<R>(work: () => Promise<R> | R): Promise<{ result: R; ms: number }> {
  const t0 = performance.now();
  const result = await work();
  return { result, ms: performance.now() - t0 };
}

export const perSecond = (count: number, ms: number): number => round((count * 1000) / ms);

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const ratio = (a: number, b: number): number => round(a / b, 3);

export function makeTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A deterministic PRNG (mulberry32), so every run appends the same shapes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The filesystem type under a directory (from /proc/mounts, longest matching mount point). */
function filesystemOf(dir: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(
        (parts) => parts.length >= 3 && (dir === parts[1] || dir.startsWith(parts[1] === '/' ? '/' : `${parts[1]}/`)),
      );
    mounts.sort((a, b) => b[1].length - a[1].length);
    return mounts[0] ? `${mounts[0][2]} (${mounts[0][0]} on ${mounts[0][1]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const db = new Database(':memory:');
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown', speedMHz: cpus[0]?.speed ?? 0 },
    availableParallelism: os.availableParallelism(),
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    /** 1, 5 and 15 minute load averages when the run began: other work on the machine skews every figure. */
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    tempDir: os.tmpdir(),
    tempFilesystem: filesystemOf(path.resolve(os.tmpdir())),
    versions: {
      sqlite: sqliteVersion,
      'better-sqlite3': packageVersion('better-sqlite3'),
      fastify: packageVersion('fastify'),
      '@nestjs/core': packageVersion('@nestjs/core'),
      autocannon: packageVersion('autocannon'),
    },
  };
}
