import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * What one request (or one workflow step) carries for the command path without threading it through
 * every handler: the idempotency seed its event ids and new ids are derived from, and whether this is
 * a retry of an attempt whose outcome is unknown (then the command path first looks for the events
 * that attempt may have committed). Set by the HTTP idempotency hook; absent everywhere else.
 */
export interface CommandScope {
  /** Derived from the caller, the route and the `Idempotency-Key`; unset: ids are random. */
  seed?: string;
  /** An earlier attempt with this seed may have committed (it answered 5xx, or its process died). */
  retry?: boolean;
  /** How many times each stream was appended to in this scope: the call's index in its derived ids. */
  calls: Map<string, number>;
  /** How many ids were handed out in this scope. */
  ids: number;
}

export const commandScope = new AsyncLocalStorage<CommandScope>();

export const newCommandScope = (): CommandScope => ({ calls: new Map(), ids: 0 });

/** A UUID (version 8: custom, RFC 9562) from the SHA-256 of the parts: the same parts, the same id. */
export function derivedUuid(...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\n')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x80;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The next new id of a seeded scope (an order id, a payment id): a retry gets the ids the first attempt got. */
export function nextScopedId(): string | undefined {
  const scope = commandScope.getStore();
  if (!scope?.seed) return undefined;
  return derivedUuid(scope.seed, 'id', String(scope.ids++));
}

/** The index of this append to `streamId` within the scope (0 for the first), or undefined without a seed. */
export function nextCallIndex(streamId: string): { seed: string; call: number; retry: boolean } | undefined {
  const scope = commandScope.getStore();
  if (!scope?.seed) return undefined;
  const call = scope.calls.get(streamId) ?? 0;
  scope.calls.set(streamId, call + 1);
  return { seed: scope.seed, call, retry: scope.retry === true };
}

/** The id of event `index` of call `call` on `streamId` under `seed`. */
export const derivedEventId = (seed: string, streamId: string, call: number, index: number): string =>
  derivedUuid(seed, 'event', streamId, String(call), String(index));
