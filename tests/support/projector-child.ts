/**
 * Child process for the projector lease test:
 *   node --import ./tests/support/swc-register.mjs tests/support/projector-child.ts <events.db> <read.db> <holder> <leaseMs>
 * Runs a Projector with one counting projection (`ticks`: one document counting every `Tick` and
 * listing the positions it folded, in order) on the given SQLite files, until killed.
 */
import type { Doc } from '../../application/ports/read-store.port.js';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';
import type { Projection } from '../../projections/runner/projection.js';
import { Projector } from '../../projections/runner/projector.js';
import { silentLogger } from './silent-logger.js';

export const ticksProjection: Projection = {
  name: 'ticks',
  version: 1,
  collection: 'ticks',
  indexes: [],
  handles: new Set(['Tick']),
  keys: () => ['total'],
  apply: (doc: Doc | null, event) => ({
    _id: 'total',
    count: ((doc?.count as number | undefined) ?? 0) + 1,
    positions: [...((doc?.positions as string[] | undefined) ?? []), String(event.position)],
    by: process.argv[4],
  }),
};

async function main(): Promise<void> {
  const [eventsDb, readDb, holder, leaseMs] = process.argv.slice(2);
  if (!eventsDb || !readDb || !holder || !leaseMs) throw new Error('usage: <events.db> <read.db> <holder> <leaseMs>');
  const projector = new Projector({
    projections: [ticksProjection],
    events: new SqliteEventStore(eventsDb),
    store: new SqliteReadStore(readDb),
    logger: silentLogger,
    clock: { now: () => new Date() },
    batchSize: 3,
    leaseMs: Number(leaseMs),
    holder,
  });
  await projector.start();
  process.stdout.write('started\n');
  process.on('SIGTERM', () => void projector.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
