/**
 * Runs the event store contract against a real EventStoreDB when EVENTSTORE_URL is set, e.g.
 *   EVENTSTORE_URL='esdb://localhost:2113?tls=false' npm test -- tests/contract/esdb
 */
import { eventStoreContract } from './event-store.contract.js';

const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract('EsdbEventStore', async () => {
    const { EsdbEventStore } = await import('../../infrastructure/event-store/esdb.event-store.js');
    const store = EsdbEventStore.fromConnectionString(url);
    await store.ping();
    return { store, cleanup: () => store.close() };
  });
} else {
  describe.skip('EventStoreDB contract suite (EVENTSTORE_URL is not set)', () => {
    it('needs a running EventStoreDB (set EVENTSTORE_URL)', () => undefined);
  });
}
