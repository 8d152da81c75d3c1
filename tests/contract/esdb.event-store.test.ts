/**
 * Runs the event store contract against a real EventStoreDB when EVENTSTORE_URL is set, e.g.
 *   EVENTSTORE_URL='esdb://localhost:2113?tls=false' npm run test:jest -- tests/contract/esdb
 * Twice: the adapter as production runs it (on a server others may write to meanwhile), and through a
 * stream prefix of its own (as the end-to-end tests share the server). Some checks need the server's
 * own answers (its append limit, no read-back after an append) and run here only.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AppendTooLargeError } from '../../application/ports/event-store.port.js';
import { EsdbEventStore } from '../../infrastructure/event-store/esdb.event-store.js';
import { ScopedEventStore } from '../../infrastructure/event-store/scoped.event-store.js';
import { rejectionOf } from '../support/event-store.assertions.js';
import { newEvent, newEvents, newMetadata, newStreamId } from '../support/fixtures.js';
import { eventStoreContract } from './event-store.contract.js';

const url = process.env.EVENTSTORE_URL;

if (url) {
  const open = async () => {
    const store = EsdbEventStore.fromConnectionString(url);
    await store.ping();
    return store;
  };
  eventStoreContract('EsdbEventStore', async () => {
    const store = await open();
    return { store, cleanup: () => store.close(), tombstone: (id) => store.tombstone(id), exclusive: false };
  });
  eventStoreContract('EsdbEventStore scoped to a stream prefix', async () => {
    const esdb = await open();
    const scope = new ScopedEventStore(esdb, `c${randomUUID().slice(0, 8)}_`);
    return {
      store: scope,
      cleanup: () => esdb.close(),
      tombstone: (id) => esdb.tombstone(scope.storeName(id)),
      exclusive: true,
    };
  });

  describe('EsdbEventStore against the server (EventStoreDB only)', () => {
    let store: EsdbEventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store.close());

    it("maps the server's own MaxAppendSizeExceeded (its default 1 MiB) to AppendTooLargeError", async () => {
      const unchecked = EsdbEventStore.fromConnectionString(url, { maxAppendBytes: Number.MAX_SAFE_INTEGER });
      try {
        const stream = newStreamId('product');
        const data = { blob: 'x'.repeat(1024 * 1024) };
        const error = await rejectionOf(
          unchecked.append(
            stream,
            [{ id: randomUUID(), type: 'BigPayload', data, metadata: newMetadata() }],
            'no_stream',
          ),
        );
        expect(error).toBeInstanceOf(AppendTooLargeError);
        expect((error as AppendTooLargeError).maxAppendBytes).toBe(1024 * 1024);
        expect(await unchecked.readStream(stream)).toEqual([]);
      } finally {
        await unchecked.close();
      }
    });

    it('a multi-event append answers its last position without reading the stream back', async () => {
      const client = (store as unknown as { shared: { client: { readStream: unknown } } }).shared.client;
      const spy = jest.spyOn(client as { readStream: () => unknown }, 'readStream');
      try {
        const stream = newStreamId('order');
        const result = await store.append(stream, newEvents(3), 'no_stream');
        expect(spy).not.toHaveBeenCalled();
        const read = await store.readStream(stream);
        expect(result).toEqual({ nextRevision: 2n, position: read[2]!.position });
        const repeat = await store.append(stream, [newEvent({ type: 'Tested', data: {} })], 2n);
        expect(repeat.position).toBeGreaterThan(result.position);
      } finally {
        spy.mockRestore();
      }
    });
  });
} else {
  describe.skip('EventStoreDB contract suite (EVENTSTORE_URL is not set)', () => {
    it('needs a running EventStoreDB (set EVENTSTORE_URL)', () => undefined);
  });
}
