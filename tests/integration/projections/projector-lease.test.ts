/**
 * Two projector processes on one pair of SQLite stores: the projection runs in one of them (its lease);
 * SIGKILL of the holder while events are appended, and the other takes over within the expiry, with
 * every event folded exactly once (the counting projection lists the positions it folded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../../../infrastructure/read-store/sqlite.read-store.js';
import { eventually } from '../../support/eventually.js';
import { newEvent } from '../../support/fixtures.js';
import { PROJECT_ROOT, SWC_REGISTER } from '../../support/run-node-script.js';

const LEASE_MS = 1000;

function startProjector(eventsDb: string, readDb: string, holder: string): Promise<ChildProcess> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ['--import', SWC_REGISTER, 'tests/support/projector-child.ts', eventsDb, readDb, holder, String(LEASE_MS)],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('started')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`projector ${holder} exited with ${String(code)}: ${stderr}`)));
  });
}

describe('projector leases across processes', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rentlog-lease-'));
  });
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a projection in one projector; when it is killed the other goes on, each event folded once', async () => {
    const eventsDb = join(dir, 'events.db');
    const readDb = join(dir, 'read.db');
    const events = new SqliteEventStore(eventsDb);
    const store = new SqliteReadStore(readDb);
    try {
      const appended: bigint[] = [];
      const append = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const result = await events.append(
            `tick-${appended.length}`,
            [newEvent({ type: 'Tick', data: { i } })],
            'any',
          );
          appended.push(result.position);
        }
      };
      await append(5);
      const [a, b] = await Promise.all([startProjector(eventsDb, readDb, 'A'), startProjector(eventsDb, readDb, 'B')]);
      children.push(a, b);
      const lease = async () => (await store.listLeases('projection:'))[0];
      const first = await eventually(lease, (l) => l !== undefined && l.expiresAt > Date.now());
      await append(20); // while it runs
      await eventually(
        () => store.getCheckpoint('ticks'),
        (p) => p !== null && p >= appended[10],
      );
      // the holder dies mid-stream (no clean stop: its lease is left to expire); events keep coming
      (first.holder === 'A' ? a : b).kill('SIGKILL');
      const killedAt = Date.now();
      await append(20);
      const taken = await eventually(lease, (l) => l.holder !== first.holder, 10_000);
      expect(taken.epoch).toBe(first.epoch + 1);
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      await append(5);
      const doc = await eventually(
        () => store.collection('ticks').findById('total'),
        (d) => d !== null && d.count === appended.length,
        10_000,
      );
      // none skipped, none twice: exactly the log's positions, in order
      expect(doc!.positions).toEqual(appended.map(String));
      expect(doc!.by).toBe(taken.holder);
      expect(await store.getCheckpoint('ticks')).toBe(appended[appended.length - 1]);
    } finally {
      await store.close();
      await events.close();
    }
  }, 60_000);
});
