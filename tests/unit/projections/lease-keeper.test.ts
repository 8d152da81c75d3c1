import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '../../../infrastructure/read-store/sqlite.read-store.js';
import { LeaseKeeper } from '../../../projections/runner/lease-keeper.js';
import { eventually } from '../../support/eventually.js';
import { silentLogger } from '../../support/silent-logger.js';

const UNITS = ['a', 'b', 'c', 'd'];

describe('LeaseKeeper', () => {
  let dir: string;
  let stores: SqliteReadStore[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rentlog-keeper-'));
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const keeper = (holder: string, running: Set<string>, ttlMs = 600) => {
    const store = new SqliteReadStore(join(dir, 'read.db'));
    stores.push(store);
    return new LeaseKeeper({
      store,
      clock: { now: () => new Date() },
      logger: silentLogger,
      kind: 'projection',
      units: UNITS,
      holder,
      ttlMs,
      onAcquired: async (unit) => void running.add(`${holder}:${unit}`),
      onLost: async (unit) => void running.delete(`${holder}:${unit}`),
    });
  };

  it('runs every unit in one process alone, shares them with a second, and gives them back when it stops', async () => {
    const running = new Set<string>();
    const a = keeper('A', running);
    await a.start();
    expect([...running].sort()).toEqual(UNITS.map((u) => `A:${u}`));
    const b = keeper('B', running);
    await b.start();
    // fair share: two each, and never a unit in both at once
    await eventually(
      () => [...running],
      (r) => r.filter((x) => x.startsWith('A:')).length === 2 && r.filter((x) => x.startsWith('B:')).length === 2,
      5000,
    );
    expect(new Set([...running].map((x) => x.slice(2))).size).toBe(4);
    await a.stop();
    await eventually(
      () => [...running],
      (r) => r.length === 4 && r.every((x) => x.startsWith('B:')),
      5000,
    );
    await b.stop();
    expect(running.size).toBe(0);
  });

  it('takes at once the leases of a process of this host that is gone (killed), not after their expiry', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // exited: no process has this pid now
    const dead = `${hostname()}:${gone}:0000`;
    const store = new SqliteReadStore(join(dir, 'read.db'));
    stores.push(store);
    const now = Date.now();
    await store.acquireLease(`projection-member:${dead}`, dead, now, 60_000);
    for (const unit of UNITS) expect(await store.acquireLease(`projection:${unit}`, dead, now, 60_000)).not.toBeNull();
    const alive = `${hostname()}:${process.pid}:1111`; // this test's own process: never taken as dead
    await store.acquireLease('projection:other', alive, now, 60_000);

    const running = new Set<string>();
    const b = keeper('B', running, 60_000);
    await b.start();
    expect([...running].sort()).toEqual(UNITS.map((u) => `B:${u}`));
    expect(b.leases().map((l) => l.epoch)).toEqual([2, 2, 2, 2]);
    const [other] = await store.listLeases('projection:other');
    expect(other.holder).toBe(alive);
    await b.stop();
  });
});
