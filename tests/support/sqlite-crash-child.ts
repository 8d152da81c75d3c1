/**
 * Child process for the crash test:
 *   node --import ./tests/support/swc-register.mjs tests/support/sqlite-crash-child.ts <db>
 * Appends events to several streams, 16 in flight, forever; prints `ack <position> <event id>` for
 * each append the store acknowledged. The parent kills it with SIGKILL mid-way.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';

const store = new SqliteEventStore(process.argv[2]);
const writer = async (n: number): Promise<never> => {
  for (;;) {
    const id = randomUUID();
    const { position } = await store.append(
      `crash-${n}`,
      [
        {
          id,
          type: 'Appended',
          data: { n },
          metadata: {
            correlationId: id,
            causationId: id,
            actor: { userId: 'crash', role: 'test' },
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      'any',
    );
    process.stdout.write(`ack ${position} ${id}\n`);
  }
};
void Promise.all(Array.from({ length: 16 }, (_, n) => writer(n)));
