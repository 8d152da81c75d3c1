/**
 * An acknowledged event survives a crash: a child process appends as fast as it can and is killed
 * with SIGKILL (no chance to flush or close anything) after some hundreds of acknowledgements; every
 * event it acknowledged is then found in the file, at the position it was acknowledged with.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { PROJECT_ROOT, SWC_REGISTER } from '../support/run-node-script.js';

it('keeps every acknowledged append when the process is killed', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-crash-'));
  const file = path.join(dir, 'events.db');
  try {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', SWC_REGISTER, 'tests/support/sqlite-crash-child.ts', file], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acks = new Map<string, bigint>();
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [, position, id] = line.split(' ');
          acks.set(id, BigInt(position));
        }
        if (acks.size >= 500 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code}`)),
      );
    });
    await new Promise((r) => child.once('close', r));

    const store = new SqliteEventStore(file);
    try {
      const all = await store.readAll({ maxCount: 1_000_000 });
      const found = new Map(all.map((e) => [e.id, e.position]));
      const missing = [...acks].filter(([id, position]) => found.get(id) !== position);
      expect(acks.size).toBeGreaterThanOrEqual(500);
      expect(missing).toEqual([]);
      expect(all.map((e) => e.position)).toEqual(all.map((_, i) => BigInt(i + 1))); // gap-free after recovery
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
