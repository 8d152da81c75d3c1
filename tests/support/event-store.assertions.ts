/** Assertions and helpers of the event store contract suite and the adapter tests (events come from fixtures.ts). */
import {
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '../../application/ports/event-store.port.js';

/** What the promise rejects with (undefined when it resolves). */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** Asserts the promise rejects with WrongExpectedRevisionError carrying these revisions. */
export async function expectConflict(
  promise: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const conflict = error as WrongExpectedRevisionError;
  expect(conflict.code).toBe('WRONG_EXPECTED_REVISION');
  expect(conflict.streamId).toBe(streamId);
  expect(conflict.expected).toBe(expected);
  expect(conflict.actual).toBe(actual);
}

/** Read the stream's revision, append with exactly that expectation, retry on conflict until it lands. */
export async function appendWithRetry(store: EventStore, streamId: string, event: NewEvent): Promise<bigint> {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    try {
      const result = await store.append(streamId, [event], last ? last.revision : 'no_stream');
      return result.nextRevision;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
  throw new Error(`appendWithRetry: gave up on ${streamId}`);
}

/**
 * Consumes a subscription in the background, keeping the events `accept` selects, until `count`
 * are collected; then breaks out of the loop (which must clean the subscription up).
 */
export function collect(
  subscription: Subscription,
  count: number,
  accept: (event: RecordedEvent) => boolean = () => true,
): Promise<RecordedEvent[]> {
  return (async () => {
    const received: RecordedEvent[] = [];
    if (count === 0) return received;
    for await (const event of subscription) {
      if (!accept(event)) continue;
      received.push(event);
      if (received.length >= count) break;
    }
    return received;
  })();
}

export function expectStrictlyIncreasing(values: bigint[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) {
      throw new Error(`not strictly increasing at index ${i}: ${values[i - 1]} then ${values[i]}`);
    }
  }
}
