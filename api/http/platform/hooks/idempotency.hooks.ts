import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { ProcessRegistry } from '../../../../application/ports/process-registry.port.js';
import type { ReadStore } from '../../../../application/ports/read-store.port.js';
import { commandScope, newCommandScope } from '../../../../application/shared/command-scope.js';
import {
  IDEMPOTENCY_COLLECTION,
  IDEMPOTENCY_LEASE_MS,
  type IdempotencyRecord,
} from '../../../../application/shared/idempotency.js';
import { MAX_JSON_DEPTH } from '../json-depth.js';
import { HttpError, HttpErrors } from '../http.errors.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { record: IdempotencyRecord };
  }
  interface FastifyContextConfig {
    /** false: the route's answers carry credentials and are never stored (login, refresh). */
    idempotency?: boolean;
  }
}

/**
 * Stable JSON (sorted keys), so that the same body in another key order is the same request. Bodies
 * are bounded in depth when parsed; this refuses deeper values too rather than recurse without bound.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_JSON_DEPTH)
    throw new HttpError(HttpErrors.bodyTooDeep, `JSON bodies nest at most ${MAX_JSON_DEPTH} levels deep`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on every POST: the first response (any status below 500) is kept for the TTL and
 * returned again for the same key and body, without running the command again; the same key with
 * another body is a 422; a repeat while the first is still running (in a live process, within its
 * lease) is a 409. A 5xx answer, or a process that died, leaves the record `unknown`: the next request
 * with the key runs as a retry, whose event ids and new ids derive from the key's seed as the first
 * attempt's did, so the command path finds what that attempt committed and answers it, or runs the
 * command when nothing was committed. Keys are scoped to the caller and the route.
 */
export async function installIdempotency(
  app: FastifyInstance,
  options: { store: ReadStore; clock: Clock; ttlSeconds: number; processes: ProcessRegistry },
): Promise<void> {
  await options.store.ensureCollection({ name: IDEMPOTENCY_COLLECTION });
  const records = options.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);
  const lease = () => new Date(options.clock.now().getTime() + IDEMPOTENCY_LEASE_MS).toISOString();

  // Every request gets a command scope, which the preHandler below seeds when a key is sent.
  app.addHook('onRequest', (_request, _reply, done) => commandScope.run(newCommandScope(), done));

  /** A pending record whose process is gone, or whose lease ran out, is an attempt of unknown outcome. */
  const abandoned = async (record: IdempotencyRecord, now: string) =>
    !record.owner || (record.leaseUntil ?? '') < now || !(await options.processes.isAlive(record.owner));

  app.addHook('preHandler', async (request: FastifyRequest, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || request.routeOptions.config?.idempotency === false) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new HttpError(HttpErrors.validationFailed, 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        errors: [{ field: 'header.idempotency-key', message: 'invalid' }],
      });
    }
    const now = options.clock.now();
    const scope = `${request.actor?.userId ?? 'anonymous'}\n${request.method} ${request.url.split('?')[0]}\n${key}`;
    const id = sha256(scope);
    const record: IdempotencyRecord = {
      _id: id,
      state: 'pending',
      requestHash: sha256(canonicalJson(request.body ?? null)),
      expiresAt: new Date(now.getTime() + options.ttlSeconds * 1000).toISOString(),
      // A new seed for each life of the key: after it expires, the same key is a new request.
      seed: sha256(`${id}\n${now.toISOString()}`),
      owner: options.processes.self,
      leaseUntil: lease(),
    };
    let retry = false;
    let taken = record;
    if (!(await records.insertIfAbsent(record))) {
      const existing = await records.findById(record._id);
      if (existing && existing.expiresAt > now.toISOString()) {
        if (existing.requestHash !== record.requestHash) {
          throw new HttpError(
            HttpErrors.idempotencyKeyReused,
            'This Idempotency-Key was used with a different request body',
          );
        }
        if (existing.state === 'done') {
          reply
            .code(existing.statusCode!)
            .header('Idempotent-Replayed', 'true')
            .type(existing.contentType ?? 'application/json');
          if (existing.etag) reply.header('ETag', existing.etag);
          return reply.send(existing.body);
        }
        if (existing.state === 'pending' && !(await abandoned(existing, now.toISOString()))) {
          throw new HttpError(
            HttpErrors.idempotencyInProgress,
            'A request with this Idempotency-Key is still being processed',
          );
        }
        // `unknown`, or pending in a process that is gone: this request settles it.
        retry = true;
        taken = {
          ...existing,
          state: 'pending',
          seed: existing.seed ?? existing._id,
          owner: record.owner,
          leaseUntil: lease(),
        };
      }
      await records.put(taken);
    }
    const commands = commandScope.getStore();
    if (commands) {
      commands.seed = taken.seed;
      commands.retry = retry;
    }
    request.idempotency = { record: taken };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.idempotency;
    if (!pending) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500) {
      // Whether the command took effect is not known here (a storage error, a crash half-way):
      // kept as unknown, never deleted, so the next request with the key settles it by event ids.
      const { owner: _o, leaseUntil: _l, ...record } = pending.record;
      await records.put({ ...record, state: 'unknown', statusCode: reply.statusCode });
      return payload;
    }
    if (typeof payload !== 'string') {
      await records.delete(pending.record._id);
      return payload;
    }
    const etag = reply.getHeader('etag');
    const { owner: _o, leaseUntil: _l, ...record } = pending.record;
    await records.put({
      ...record,
      state: 'done',
      statusCode: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      ...(etag === undefined ? {} : { etag: String(etag) }),
      body: payload,
    });
    return payload;
  });
}
