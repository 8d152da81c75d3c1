/**
 * Child process for the crash test:
 *   node --import ./tests/support/swc-register.mjs tests/support/sqlite-crash-child.ts <db>
 * Appends events to several streams, 16 in flight, forever; prints `ack <position> <event id>` for
 * each append the store acknowledged. The parent kills it with SIGKILL mid-way.
 */
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { newEvent } from './fixtures.js';

const store = new SqliteEventStore(process.argv[2]);
const writer = async (n: number): Promise<never> => {
  for (;;) {
    const event = newEvent(
      { type: 'Appended', data: { n } },
      { at: new Date().toISOString(), metadata: { actor: { userId: 'crash', role: 'test' } } },
    );
    const { position } = await store.append(`crash-${n}`, [event], 'any');
    process.stdout.write(`ack ${position} ${event.id}\n`);
  }
};
void Promise.all(Array.from({ length: 16 }, (_, n) => writer(n)));
