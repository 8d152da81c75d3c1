import type { ReadStore } from '../ports/read-store.port.js';
import type { AccessClaims } from '../ports/tokens.port.js';
import {
  ACCESS_READ_MODEL,
  sessionAccessId,
  userAccessId,
  type SessionAccessDoc,
  type UserAccessDoc,
} from './access.view.js';

/**
 * What a verified access token is worth now: its session must be active, its user enabled and at the
 * token's version (signing out everywhere and disabling move it). The roles and customer record are
 * the user's current ones, not what the token claimed. One lookup in the read store per request, no
 * stream is replayed.
 */
export class AccessCheck {
  constructor(private readonly store: ReadStore) {}

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
      ...(user.customerId ? { customerId: user.customerId } : {}),
    };
  }
}
