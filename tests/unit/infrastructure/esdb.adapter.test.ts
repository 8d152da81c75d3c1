/**
 * What the EventStoreDB adapter does without a server (these run everywhere): the client is shared per
 * connection string and let go by close(), appends take the client's per-call path, ping() has a
 * deadline, close() ends subscriptions, and errors are mapped. No server is faked: the store points
 * at a port nothing listens on.
 */
import { jest } from '@jest/globals';
import net from 'node:net';
import { EventStoreDBClient } from '@eventstore/db-client';
import { InvalidPositionError } from '../../../application/ports/event-store.port.js';
import { EsdbEventStore } from '../../../infrastructure/event-store/esdb.event-store.js';
import {
  acquireClient,
  appendCallOptions,
  clientUsers,
  isInvalidPosition,
} from '../../../infrastructure/event-store/esdb.client.js';
import { rejectionOf } from '../../support/event-store.assertions.js';
import { withTimeout } from '../../support/eventually.js';

/** A port that refuses connections (bound, then closed). */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP listener that accepts connections and never says a word (a hung server, not a fake one). */
async function silentServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('EsdbEventStore without a server', () => {
  it('shares one client per connection string and process, disposed when the last store closes', async () => {
    const url = `esdb://127.0.0.1:${await deadPort()}?tls=false`;
    const a = EsdbEventStore.fromConnectionString(url);
    const b = EsdbEventStore.fromConnectionString(url);
    expect(clientUsers(url)).toBe(2);
    expect((a as unknown as { shared: { client: unknown } }).shared.client).toBe(
      (b as unknown as { shared: { client: unknown } }).shared.client,
    );
    await a.close();
    await a.close();
    expect(clientUsers(url)).toBe(1);
    await b.close();
    expect(clientUsers(url)).toBe(0);
  });

  it('gives appends the call credentials that make the client take its per-call append, not its batch append', () => {
    const insecure = acquireClient('esdb://127.0.0.1:2113?tls=false');
    const withUser = acquireClient('esdb://admin:changeit@127.0.0.1:2113?tls=true');
    const certOnly = acquireClient('esdb://127.0.0.1:2113?tls=true');
    try {
      expect(appendCallOptions(insecure).credentials).toBeDefined();
      expect(appendCallOptions(withUser)).toEqual({ credentials: { username: 'admin', password: 'changeit' } });
      expect(appendCallOptions(certOnly)).toEqual({}); // the one path left on batch append (README)
    } finally {
      void insecure.release();
      void withUser.release();
      void certOnly.release();
    }
  });

  it('takes the per-call append path when given call credentials (client 6.2.1 source)', async () => {
    const client = EventStoreDBClient.connectionString('esdb://127.0.0.1:1?tls=false');
    const supports = jest.spyOn(client as unknown as { supports: () => Promise<boolean> }, 'supports');
    const appendPath = client.appendToStream('s-1', [], {
      credentials: { username: 'u', password: 'p' },
      deadline: 200,
    });
    await rejectionOf(appendPath);
    expect(supports).not.toHaveBeenCalled(); // batch append is chosen only after asking the server for it
    await client.dispose();
  });

  it('ping() fails within its deadline when the server accepts the connection and never answers', async () => {
    const silent = await silentServer();
    const store = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${silent.port}?tls=false`, {
      pingTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      const error = await withTimeout(rejectionOf(store.ping()), 5_000, 'ping to give up');
      expect((error as Error).message).toMatch(/did not answer within 500 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(
        await rejectionOf(EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${await deadPort()}?tls=false`).ping()),
      ).toBeInstanceOf(Error);
    } finally {
      await store.close();
      silent.close();
    }
  });

  it('close() ends a live subscription whose next() is pending, and refuses work afterwards', async () => {
    const store = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${await deadPort()}?tls=false`);
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    pending.catch(() => undefined);
    await withTimeout(store.close(), 5_000, 'close()');
    const result = await withTimeout(
      pending.then(
        (r) => r,
        () => ({ done: true }),
      ),
      5_000,
      'pending next() after close()',
    );
    expect(result.done).toBe(true);
    await expect(store.readAll()).rejects.toThrow(/closed/);
    expect(() => store.subscribeToAll()).toThrow(/closed/);
  });

  it('refuses a negative position before asking the server', async () => {
    const store = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${await deadPort()}?tls=false`);
    try {
      expect(await rejectionOf(store.readAll({ after: -1n }))).toBeInstanceOf(InvalidPositionError);
      const first = store.subscribeToAll({ after: -5n })[Symbol.asyncIterator]().next();
      expect(await rejectionOf(first)).toBeInstanceOf(InvalidPositionError);
    } finally {
      await store.close();
    }
  });

  it('refuses a subscription from beyond the head, which the server would follow live from its end', async () => {
    const store = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${await deadPort()}?tls=false`);
    const head = jest.spyOn(store, 'headPosition').mockResolvedValue(1_000n);
    try {
      const beyond = store.subscribeToAll({ after: 1_001n })[Symbol.asyncIterator]().next();
      const error = await withTimeout(rejectionOf(beyond), 5_000, 'subscription from beyond the head');
      expect(error).toBeInstanceOf(InvalidPositionError);
      expect((error as InvalidPositionError).position).toBe(1_001n);
      expect(head).toHaveBeenCalledTimes(1);
      // At the head (a checkpoint the log gave out) the subscription goes on to the server.
      const atHead = store.subscribeToAll({ after: 1_000n });
      const next = atHead[Symbol.asyncIterator]().next();
      next.catch(() => undefined);
      await withTimeout(atHead.unsubscribe(), 5_000, 'unsubscribe');
      expect(
        await withTimeout(
          next.catch(() => ({ done: true })),
          5_000,
          'next() after unsubscribe',
        ),
      ).toEqual(expect.objectContaining({ done: true }));
      expect(head).toHaveBeenCalledTimes(2);
    } finally {
      head.mockRestore();
      await store.close();
    }
  });

  it("recognizes the server's answers to a read from inside a record (24.10 sources)", () => {
    expect(isInvalidPosition(new Error('2 UNKNOWN: Unexpected ReadAllResult: InvalidPosition'))).toBe(true);
    expect(isInvalidPosition(new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.'))).toBe(true);
    expect(isInvalidPosition(new Error('14 UNAVAILABLE: No connection established'))).toBe(false);
  });
});
