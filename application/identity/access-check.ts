import { equalInConstantTime } from '../../domain/shared/constant-time.js';
import type { Clock } from '../ports/clock.port.js';
import type { ReadStore } from '../ports/read-store.port.js';
import type { AccessClaims } from '../ports/tokens.port.js';
import { parseApiKey } from './api-key-secrets.js';
import {
  ACCESS_READ_MODEL,
  API_KEY_USE_COLLECTION,
  apiKeyAccessId,
  sessionAccessId,
  userAccessId,
  type ApiKeyAccessDoc,
  type ApiKeyUseDoc,
  type SessionAccessDoc,
  type UserAccessDoc,
} from './access.view.js';

/** How often a key's last use is written at most (per key and api process): a busy key costs no write per call. */
const LAST_USE_RESOLUTION_MS = 60_000;

/**
 * What a caller is worth now. A verified access token: its session must be active, its user enabled
 * and at the token's version (signing out everywhere and disabling move it); the roles and customer
 * record are the user's current ones, not what the token claimed. An API key: it must exist, match,
 * be neither revoked nor expired. One lookup in the read store per request, no stream is replayed.
 */
export class AccessCheck {
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly store: ReadStore,
    private readonly clock: Clock,
  ) {}

  async check(claims: AccessClaims): Promise<AccessClaims | null> {
    const docs = await this.store
      .collection<UserAccessDoc | SessionAccessDoc>(ACCESS_READ_MODEL)
      .findByIds([userAccessId(claims.userId), sessionAccessId(claims.sessionId)]);
    const user = docs.find((d): d is UserAccessDoc => d.kind === 'user');
    const session = docs.find((d): d is SessionAccessDoc => d.kind === 'session');
    if (!user || !session || user.disabled || !session.active || session.userId !== claims.userId) return null;
    if (user.tokenVersion !== claims.tokenVersion || session.tokenVersion !== user.tokenVersion) return null;
    return {
      userId: user.userId,
      roles: user.roles,
      sessionId: session.sessionId,
      tokenVersion: user.tokenVersion,
      mfaEnabled: user.mfaEnabled === true,
      ...(user.customerId ? { customerId: user.customerId } : {}),
    };
  }

  /** The caller an `X-API-Key` stands for, or null for a key that is malformed, unknown, wrong, revoked or expired. */
  async checkApiKey(key: string): Promise<AccessClaims | null> {
    const presented = parseApiKey(key);
    if (!presented) return null;
    const doc = await this.store
      .collection<ApiKeyAccessDoc>(ACCESS_READ_MODEL)
      .findById(apiKeyAccessId(presented.apiKeyId));
    if (!doc || doc.kind !== 'apikey' || !equalInConstantTime(doc.secretHash, presented.secretHash)) return null;
    const now = this.clock.now();
    if (doc.revoked || (doc.expiresAt !== null && Date.parse(doc.expiresAt) <= now.getTime())) return null;
    await this.recordUse(doc.apiKeyId, now);
    const caller = apiKeyAccessId(doc.apiKeyId);
    return { userId: caller, sessionId: caller, roles: doc.roles, tokenVersion: 0, apiKeyId: doc.apiKeyId };
  }

  private async recordUse(apiKeyId: string, now: Date): Promise<void> {
    const last = this.lastUseWritten.get(apiKeyId);
    if (last !== undefined && now.getTime() - last < LAST_USE_RESOLUTION_MS) return;
    this.lastUseWritten.set(apiKeyId, now.getTime());
    await this.store
      .collection<ApiKeyUseDoc>(API_KEY_USE_COLLECTION)
      .put({ _id: apiKeyId, lastUsedAt: now.toISOString() });
  }
}
