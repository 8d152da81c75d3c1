import {
  apiKeyAccessId,
  sessionAccessId,
  userAccessId,
  ACCESS_READ_MODEL,
  type ApiKeyAccessDoc,
  type SessionAccessDoc,
  type UserAccessDoc,
} from '../../application/identity/access.view.js';
import type { Role } from '../../application/ports/tokens.port.js';
import { apiKeyEventTypes, type ApiKeyEvent } from '../../domain/identity/api-key.events.js';
import { sessionEventTypes, type SessionEvent } from '../../domain/identity/session.events.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import { userEventTypes, type UserEvent } from '../../domain/identity/user.events.js';
import type { UserState } from '../../domain/identity/user.state.js';
import type { Projection } from '../runner/projection.js';

type AccessDoc = UserAccessDoc | SessionAccessDoc | ApiKeyAccessDoc;
const isUserEvent = new Set<string>(userEventTypes);
const isApiKeyEvent = new Set<string>(apiKeyEventTypes);

/** A user document as the user decider's state (the hash and the profile stay on the write side). */
const userStateOf = (doc: UserAccessDoc | null): UserState =>
  doc
    ? {
        status: 'registered',
        userId: doc.userId,
        email: '',
        name: '',
        roles: doc.roles,
        passwordHash: null,
        disabled: doc.disabled,
        tokenVersion: doc.tokenVersion,
        passwordChangedAt: null,
        externalIdentities: [],
        mfa: doc.mfaEnabled === true ? { status: 'on', totpSecret: '', recoveryCodeHashes: [] } : { status: 'off' },
        ...(doc.customerId ? { customerId: doc.customerId } : {}),
      }
    : userDecider.initialState();

/**
 * Who may still act: per user its roles, whether it is disabled and its token version (folded with
 * the user decider's own `evolve`), per session whether it is active, with its device and times (the
 * session list shows them), per API key its roles, expiry and whether it is revoked.
 */
export const accessProjection: Projection<AccessDoc, UserEvent | SessionEvent | ApiKeyEvent> = {
  name: 'access',
  personalData: true,
  version: 1,
  collection: ACCESS_READ_MODEL,
  indexes: [{ fields: { userId: 1, kind: 1, createdAt: -1 } }, { fields: { kind: 1, createdAt: -1 } }],
  handles: new Set<string>([...userEventTypes, ...sessionEventTypes, ...apiKeyEventTypes]),
  keys: (event) => [
    isUserEvent.has(event.type)
      ? userAccessId((event.data as UserEvent['data']).userId)
      : isApiKeyEvent.has(event.type)
        ? apiKeyAccessId((event.data as ApiKeyEvent['data']).apiKeyId)
        : sessionAccessId((event.data as SessionEvent['data']).sessionId),
  ],
  apply(doc, event) {
    const at = event.metadata.occurredAt;
    if (isApiKeyEvent.has(event.type)) {
      const e = event as Extract<typeof event, ApiKeyEvent>;
      if (e.type === 'ApiKeyCreated') {
        const d = e.data;
        return {
          _id: apiKeyAccessId(d.apiKeyId),
          kind: 'apikey',
          apiKeyId: d.apiKeyId,
          name: d.name,
          roles: d.roles as Role[],
          secretHash: d.secretHash,
          createdAt: d.createdAt,
          expiresAt: d.expiresAt,
          revoked: false,
          revokedAt: null,
        };
      }
      if (e.type === 'ApiKeyUsed') return doc; // the last use is kept beside the read model (access check)
      const key = doc as ApiKeyAccessDoc | null;
      return key && { ...key, revoked: true, revokedAt: e.data.revokedAt };
    }

    if (isUserEvent.has(event.type)) {
      const state = userDecider.evolve(userStateOf(doc as UserAccessDoc | null), event as UserEvent);
      if (state.status !== 'registered') return doc;
      return {
        _id: userAccessId(state.userId),
        kind: 'user',
        userId: state.userId,
        roles: state.roles as Role[],
        customerId: state.customerId ?? null,
        disabled: state.disabled,
        tokenVersion: state.tokenVersion,
        mfaEnabled: state.mfa.status === 'on',
      };
    }
    const e = event as Extract<typeof event, SessionEvent>;
    const session = doc as SessionAccessDoc | null;
    switch (e.type) {
      case 'SessionStarted': {
        const d = e.data;
        return {
          _id: sessionAccessId(d.sessionId),
          kind: 'session',
          sessionId: d.sessionId,
          userId: d.userId,
          active: true,
          tokenVersion: d.tokenVersion,
          userAgent: d.userAgent,
          ipAddress: d.ipAddress,
          createdAt: d.startedAt,
          lastUsedAt: d.startedAt,
          endedAt: null,
        };
      }
      case 'SessionRefreshed':
        return session && { ...session, lastUsedAt: e.data.refreshedAt };
      case 'SessionEnded':
        return session && { ...session, active: false, endedAt: e.data.endedAt ?? at };
    }
  },
};
