import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port.js';

/**
 * What security reviews ask of the log: sign-ins and their failures and lockouts, sign-outs, password
 * changes and resets, accounts created (with their roles), disabled and enabled, external identities
 * linked, the audit's own exports, and API keys created, revoked and used (one ApiKeyUsed a key a
 * minute at most: which key, never its secret, when, and from which address and agent). Other issues
 * add erasures to this list.
 */
export const SECURITY_EVENT_TYPES: ReadonlySet<string> = new Set([
  'SessionStarted',
  'SessionEnded',
  'SignInFailed',
  'SignInLockedOut',
  'SignInFailuresCleared',
  'UserRegistered',
  'UserDisabled',
  'UserEnabled',
  'UserPasswordChanged',
  'UserSignedOutEverywhere',
  'UserExternalIdentityLinked',
  'PasswordResetRequested',
  'PasswordResetCompleted',
  'AuditExported',
  'ApiKeyCreated',
  'ApiKeyRevoked',
  'ApiKeyUsed',
]);

export interface SecurityEvent {
  position: string;
  type: string;
  /** When it happened. */
  at: string;
  /** Who did it (the signed-in actor, or `anonymous` / `system`). */
  actor: { userId: string; role: string };
  /** The account it concerns, when there is one. */
  userId: string | null;
  /** From where: the client's address and user agent, when the event recorded them. */
  ipAddress: string | null;
  userAgent: string | null;
  /** What else the event says that a reviewer needs (roles, reason, failures, lockout end, ...). */
  detail: Record<string, unknown>;
  streamId: string;
  eventId: string;
}

const DETAIL = [
  'roles',
  'reason',
  'failures',
  'lockedUntil',
  'via',
  'provider',
  'sessionId',
  'criteria',
  'format',
  'apiKeyId',
  'minute',
];

function present(e: RecordedEvent): SecurityEvent {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    position: String(e.position),
    type: e.type,
    at: e.metadata.occurredAt,
    actor: e.metadata.actor,
    userId: str(d.userId),
    ipAddress: str(d.ipAddress),
    userAgent: str(d.userAgent),
    detail: Object.fromEntries(DETAIL.filter((k) => d[k] !== undefined).map((k) => [k, d[k]])),
    streamId: e.streamId,
    eventId: e.id,
  };
}

export interface SecurityCriteria {
  fromPosition?: string;
  limit: number;
  type?: string;
  userId?: string;
  since?: string;
  until?: string;
}

export class SecurityEventsQuery extends Query<{ items: SecurityEvent[]; nextPosition: string | null }> {
  constructor(readonly criteria: SecurityCriteria) {
    super();
  }
}

const PAGE = 1000;
const SCAN_LIMIT = 20_000;

@QueryHandler(SecurityEventsQuery)
export class SecurityEventsHandler implements IQueryHandler<SecurityEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ criteria: c }: SecurityEventsQuery) {
    const types = c.type ? new Set(c.type.split(',')) : SECURITY_EVENT_TYPES;
    const matches = (e: RecordedEvent) => {
      if (!SECURITY_EVENT_TYPES.has(e.type) || !types.has(e.type)) return false;
      const item = present(e);
      return (
        (!c.userId || item.userId === c.userId || item.actor.userId === c.userId) &&
        (!c.since || item.at >= c.since) &&
        (!c.until || item.at < c.until)
      );
    };
    const items: SecurityEvent[] = [];
    let after = c.fromPosition ? BigInt(c.fromPosition) : 0n;
    let scanned = 0;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      for (const event of page) {
        after = event.position;
        scanned++;
        if (matches(event)) items.push(present(event));
        if (items.length === c.limit) return { items, nextPosition: String(after) };
      }
      if (page.length < PAGE) return { items, nextPosition: null };
      if (scanned >= SCAN_LIMIT) return { items, nextPosition: String(after) };
    }
  }
}
