/**
 * What the MongoDB read store does without a server: ping() gives up at its deadline. The driver
 * waits for ever on a connection that stays open and silent (socketTimeoutMS is 0 by default), so
 * readiness would hang with it. This is a unit test of the adapter's own code: ping runs on a stub of
 * the driver's database handle whose command never answers (no MongoDB server, real or fake).
 */
import { MongoReadStore } from '../../../infrastructure/read-store/mongo.read-store.js';
import { rejectionOf } from '../../support/event-store.assertions.js';
import { withTimeout } from '../../support/eventually.js';

describe('MongoReadStore without a server', () => {
  it('ping() fails within its deadline when the server never answers', async () => {
    const silent = { db: { command: () => new Promise(() => undefined) }, pingTimeoutMs: 300 };
    const started = Date.now();
    const error = await withTimeout(
      rejectionOf(MongoReadStore.prototype.ping.call(silent as unknown as MongoReadStore)),
      5_000,
      'ping to give up',
    );
    expect((error as Error).message).toBe('MongoDB did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
