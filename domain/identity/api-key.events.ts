import { eventTypes } from '../shared/decider.js';

/**
 * An API key for service-to-service calls (`X-API-Key`), in a stream of its own (`apikey-<id>`). The
 * key is shown once, at creation: the stream keeps the sha256 of its secret (a 256-bit random value, so
 * a fast hash is as good as a slow one), never the key. Who created or revoked it is the event's actor.
 */
export interface ApiKeyCreated {
  type: 'ApiKeyCreated';
  data: {
    apiKeyId: string;
    name: string;
    /** The roles a call with the key acts with (never `customer`: a key is nobody's customer record). */
    roles: string[];
    /** sha256 (hex) of the key's secret part. */
    secretHash: string;
    /** Null: the key works until it is revoked. */
    expiresAt: string | null;
    createdAt: string;
  };
}

/** The key stops working at once (the access read model has it before the revocation answers). */
export interface ApiKeyRevoked {
  type: 'ApiKeyRevoked';
  data: { apiKeyId: string; revokedAt: string };
}

/**
 * The key was used (a security event): in which minute, from which client address and agent. At most
 * one a key a minute (the decider keeps the last minute recorded), never its secret.
 */
export interface ApiKeyUsed {
  type: 'ApiKeyUsed';
  data: { apiKeyId: string; minute: string; ipAddress: string | null; userAgent: string | null; usedAt: string };
}

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked | ApiKeyUsed;

export const apiKeyEventTypes = eventTypes<ApiKeyEvent['type']>({
  ApiKeyCreated: true,
  ApiKeyRevoked: true,
  ApiKeyUsed: true,
});

export const apiKeyStream = (apiKeyId: string): string => `apikey-${apiKeyId}`;
