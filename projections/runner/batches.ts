import type { RecordedEvent, Subscription } from '../../application/ports/event-store.port.js';

const tick = (): Promise<'tick'> => new Promise((resolve) => setImmediate(() => resolve('tick')));

/**
 * Groups a subscription's events into batches: waits for the first event, then takes every event
 * that is already at hand (before the next macrotask) up to `max`. Catch-up therefore runs in full
 * batches, while a live event is handled at once.
 */
export async function* batches(subscription: Subscription, max: number): AsyncGenerator<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = null;
      if (first.done) return;
      const batch = [first.value];
      while (batch.length < max) {
        pending = iterator.next();
        const next = await Promise.race([pending, tick()]);
        if (next === 'tick') break;
        pending = null;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    // A next() may still be pending (waiting for a live event); end the subscription first so that it
    // settles, else return() would queue behind it forever.
    await subscription.unsubscribe();
    await iterator.return?.();
  }
}
