/**
 * How the EventStoreDB adapter holds @eventstore/db-client 6.2.1, and the client's errors it reads.
 *
 * The client's batch append (streams/appendToStream/batchAppend.js) keeps ONE promise map for every
 * client and stream of the process: a transport error on one stream rejects and clears the appends of
 * all, and a late answer then finds no entry and throws a TypeError inside a gRPC event handler, which
 * ends the process (fixed in the renamed client, @kurrent/kurrentdb-client, by PR #523). The client
 * takes its per-call `append` instead whenever call credentials are given. So:
 * - appends pass call credentials: in insecure mode (`tls=false`) the client sends none of them, and
 *   with credentials in the connection string they are the very ones it sends anyway; only a secure
 *   connection without user credentials (client certificates) still goes through batch append;
 * - one client per connection string and process (`acquireClient`, reference-counted), so that two
 *   clients can never clear each other's appends even on that last path.
 * Left as it is: on that last path, a reconnect (one stream failing while a new one already carries
 * appends) can still hit the client's bug; moving to @kurrent/kurrentdb-client removes it.
 */
import {
  CancelledError,
  EventStoreDBClient,
  NotLeaderError,
  UnavailableError,
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type Credentials,
} from '@eventstore/db-client';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString.js';
import type { ExpectedRevision } from '../../application/ports/event-store.port.js';

export { withDeadline } from '../shared/with-deadline.js';

export interface SharedClient {
  client: EventStoreDBClient;
  /** `tls=false`: the client sends no call credentials. */
  insecure: boolean;
  credentials?: Credentials;
  /** Lets go of this use of the client; the last one disposes it. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  client: EventStoreDBClient;
  insecure: boolean;
  credentials?: Credentials;
  users: number;
}

const clients = new Map<string, Entry>();

/** The process's client for this connection string (made on first use; connections are opened lazily). */
export function acquireClient(url: string): SharedClient {
  let entry = clients.get(url);
  if (!entry) {
    const options = parseConnectionString(url);
    entry = {
      client: EventStoreDBClient.connectionString(url),
      insecure: options.tls === false,
      credentials: options.defaultCredentials,
      users: 0,
    };
    clients.set(url, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    client: held.client,
    insecure: held.insecure,
    credentials: held.credentials,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && clients.get(url) === held) {
        clients.delete(url);
        await held.client.dispose();
      }
    },
  };
}

/** How many uses of a client for this URL are open (tests). */
export function clientUsers(url: string): number {
  return clients.get(url)?.users ?? 0;
}

/** Options that make appendToStream take the per-call append path (see above); {} where it cannot. */
export function appendCallOptions(shared: SharedClient): { credentials?: Credentials } {
  if (shared.credentials) return { credentials: shared.credentials };
  if (shared.insecure) return { credentials: { username: 'unused-in-insecure-mode', password: 'unused' } };
  return {};
}

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

/** Errors after which the client reconnects (its `shouldReconnect`): the call may be tried again. */
export function isTransportError(error: unknown): boolean {
  return error instanceof UnavailableError || error instanceof NotLeaderError || error instanceof CancelledError;
}

const messageOf = (error: unknown): string =>
  typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as Error).message : '';

/**
 * A read from a position that is not at a record boundary. EventStoreDB 24.10 answers a read of $all
 * with `Unexpected ReadAllResult: InvalidPosition` (status Unknown) and a subscription with `Trying to
 * read from an invalid position.` (InvalidArgument); the client makes both an UnknownError.
 */
export function isInvalidPosition(error: unknown): boolean {
  return /ReadAllResult: InvalidPosition|invalid position/i.test(messageOf(error));
}

/** The limit of 24.10.4's `maximum-append-event-size-exceeded` (unknown to this client), if that is the error. */
export function maxAppendSizeOf(error: unknown): number | undefined {
  const raw = (error as { _raw?: { metadata?: { getMap(): Record<string, unknown> } } } | null)?._raw;
  const map = raw?.metadata?.getMap?.();
  if (!map || String(map.exception) !== 'maximum-append-event-size-exceeded') return undefined;
  const max = Number.parseInt(String(map['maximum-append-event-size']), 10);
  return Number.isFinite(max) ? max : 0;
}
