import { equalInConstantTime } from '../../domain/shared/constant-time.js';
import type { Clock } from '../ports/clock.port.js';
import type { ReadStore } from '../ports/read-store.port.js';
import type { AccessClaims } from '../ports/tokens.port.js';
import type { Logger } from '../ports/logger.port.js';
import { parseApiKey } from './api-key-secrets.js';
import { useMinute, type ApiKeyUse } from './record-api-key-use.command.js';
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

/** Where a call with a key came from (the request's client address and agent). */
export interface CallOrigin {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * What a caller is worth now. A verified access token: its session must be active, its user enabled
 * and at the token's version (signing out everywhere and disabling move it); the roles and customer
 * record are the user's current ones, not what the token claimed. An API key: it must exist, match,
 * be neither revoked nor expired. One lookup in the read store per request, no stream is replayed.
 */
export class AccessCheck {
  /** The minute each key's use was last written in, by this process: a busy key costs one write a minute. */
  private readonly lastUseWritten = new Map<string, string>();
  private recordUse: ((use: ApiKeyUse) => Promise<unknown>) | null = null;

  constructor(
    private readonly store: ReadStore,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  /** How a key's use is recorded as a security event (the API wires its command bus here once it exists). */
  recordUsesWith(record: (use: ApiKeyUse) => Promise<unknown>): void {
    this.recordUse = record;
  }

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
  async checkApiKey(
    key: string,
    origin: CallOrigin = { ipAddress: null, userAgent: null },
  ): Promise<AccessClaims | null> {
    const presented = parseApiKey(key);
    if (!presented) return null;
    const doc = await this.store
      .collection<ApiKeyAccessDoc>(ACCESS_READ_MODEL)
      .findById(apiKeyAccessId(presented.apiKeyId));
    if (!doc || doc.kind !== 'apikey' || !equalInConstantTime(doc.secretHash, presented.secretHash)) return null;
    const now = this.clock.now();
    if (doc.revoked || (doc.expiresAt !== null && Date.parse(doc.expiresAt) <= now.getTime())) return null;
    await this.used(doc.apiKeyId, now, origin);
    const caller = apiKeyAccessId(doc.apiKeyId);
    return { userId: caller, sessionId: caller, roles: doc.roles, tokenVersion: 0, apiKeyId: doc.apiKeyId };
  }

  /**
   * The first use of a key in a minute (in this process): its last use beside the read model, and an
   * ApiKeyUsed security event (deduplicated across processes by the key's decider). Recording the
   * event never fails the call: a failure is logged.
   */
  private async used(apiKeyId: string, now: Date, origin: CallOrigin): Promise<void> {
    const minute = useMinute(now);
    if (this.lastUseWritten.get(apiKeyId) === minute) return;
    this.lastUseWritten.set(apiKeyId, minute);
    await this.store
      .collection<ApiKeyUseDoc>(API_KEY_USE_COLLECTION)
      .put({ _id: apiKeyId, lastUsedAt: now.toISOString() });
    try {
      await this.recordUse?.({ apiKeyId, at: now, ...origin });
    } catch (error) {
      this.logger?.warn('API key use not recorded as a security event', { apiKeyId, error: (error as Error).message });
    }
  }
}
