/**
 * Child process for the multi-process SQLite test:
 *   node --import ./tests/support/swc-register.mjs tests/support/sqlite-append-child.ts <db> <stream> <count> <worker>
 * Appends <count> events to <stream>, each with read-revision -> append(exact revision) and retry on
 * conflict. Prints one JSON line: { ids, conflicts }.
 */
import { WrongExpectedRevisionError } from '../../application/ports/event-store.port.js';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { newEvent } from './fixtures.js';

async function main(): Promise<void> {
  const [dbPath, streamId, countArg, worker] = process.argv.slice(2);
  if (!dbPath || !streamId || !countArg || !worker) throw new Error('usage: <db> <stream> <count> <worker>');
  const store = new SqliteEventStore(dbPath);
  const ids: string[] = [];
  let conflicts = 0;
  for (let i = 0; i < Number(countArg); i++) {
    const event = newEvent(
      { type: 'ChildAppended', data: { worker, i } },
      { at: new Date().toISOString(), metadata: { actor: { userId: `worker-${worker}`, role: 'test' } } },
    );
    for (;;) {
      const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      try {
        await store.append(streamId, [event], last ? last.revision : 'no_stream');
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        conflicts += 1;
      }
    }
    ids.push(event.id);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ ids, conflicts })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
