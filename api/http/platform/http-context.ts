import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../application/ports/event-store.port.js';
import type { CommandContext } from '../../../application/shared/command-context.js';
import { ApplicationErrors } from '../../../application/shared/application.errors.js';
import { HttpError } from './http.errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication; anonymous until then. */
    actor?: Actor;
    correlationId?: string;
  }
  interface FastifyContextConfig {
    /** Read models a GET reads: `X-Min-Position` waits for them. */
    readModels?: string[];
  }
}

export const ANONYMOUS: Actor = { userId: 'anonymous', role: 'anonymous' };

/** The command context of a request: who, correlation, causation (the request id), and `If-Match`. */
export function commandContext(request: FastifyRequest, reason?: string): CommandContext {
  const expectedRevision = parseIfMatch(request.headers['if-match']);
  return {
    actor: request.actor ?? ANONYMOUS,
    correlationId: request.correlationId ?? request.id,
    causationId: request.id,
    ...(expectedRevision === undefined ? {} : { ifMatch: expectedRevision }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** `If-Match: "7"` (or W/"7") pins revision 7; anything else cannot match and answers 412. */
export function parseIfMatch(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,19})"\s*$/.exec(value);
  if (!match)
    throw new HttpError(
      ApplicationErrors.preconditionFailed,
      `If-Match ${value} does not name a revision of this resource (expected "<revision>")`,
    );
  return BigInt(match[1]);
}

export const etag = (revision: string | bigint): string => `"${String(revision)}"`;
