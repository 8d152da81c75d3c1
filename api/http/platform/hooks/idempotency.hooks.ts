import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { ReadStore } from '../../../../application/ports/read-store.port.js';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecord } from '../../../../application/shared/idempotency.js';
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
 * another body is a 422; a repeat while the first is still running is a 409. Keys are scoped to the
 * caller and the route.
 */
export async function installIdempotency(
  app: FastifyInstance,
  options: { store: ReadStore; clock: Clock; ttlSeconds: number },
): Promise<void> {
  await options.store.ensureCollection({ name: IDEMPOTENCY_COLLECTION });
  const records = options.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);

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
    const record: IdempotencyRecord = {
      _id: sha256(scope),
      state: 'pending',
      requestHash: sha256(canonicalJson(request.body ?? null)),
      expiresAt: new Date(now.getTime() + options.ttlSeconds * 1000).toISOString(),
    };
    if (!(await records.insertIfAbsent(record))) {
      const existing = await records.findById(record._id);
      if (existing && existing.expiresAt > now.toISOString()) {
        if (existing.requestHash !== record.requestHash) {
          throw new HttpError(
            HttpErrors.idempotencyKeyReused,
            'This Idempotency-Key was used with a different request body',
          );
        }
        if (existing.state === 'pending') {
          throw new HttpError(
            HttpErrors.idempotencyInProgress,
            'A request with this Idempotency-Key is still being processed',
          );
        }
        reply
          .code(existing.statusCode!)
          .header('Idempotent-Replayed', 'true')
          .type(existing.contentType ?? 'application/json');
        if (existing.etag) reply.header('ETag', existing.etag);
        return reply.send(existing.body);
      }
      await records.put(record);
    }
    request.idempotency = { record };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.idempotency;
    if (!pending) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await records.delete(pending.record._id);
      return payload;
    }
    const etag = reply.getHeader('etag');
    await records.put({
      ...pending.record,
      state: 'done',
      statusCode: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      ...(etag === undefined ? {} : { etag: String(etag) }),
      body: payload,
    });
    return payload;
  });
}
