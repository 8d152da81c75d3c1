import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  const keeper = (holder: string, running: Set<string>) => {
    const store = new SqliteReadStore(join(dir, 'read.db'));
    stores.push(store);
    return new LeaseKeeper({
      store,
      clock: { now: () => new Date() },
      logger: silentLogger,
      kind: 'projection',
      units: UNITS,
      holder,
      ttlMs: 600,
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
});
