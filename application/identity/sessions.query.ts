import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { ACCESS_READ_MODEL, type SessionAccessDoc } from './access.view.js';

export interface SessionView {
  sessionId: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

/** The signed-in user's active sessions, newest first; `current` marks the one asking. */
export class ListSessionsQuery extends Query<{ items: SessionView[] }> {
  constructor(
    readonly userId: string,
    readonly currentSessionId: string,
  ) {
    super();
  }
}

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({ userId, currentSessionId }: ListSessionsQuery) {
    const sessions = await this.store
      .collection<SessionAccessDoc>(ACCESS_READ_MODEL)
      .find({ kind: 'session', userId, active: true }, { sort: { createdAt: -1 }, limit: 1000 });
    return {
      items: sessions.map((s) => ({
        sessionId: s.sessionId,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        userAgent: s.userAgent,
        ipAddress: s.ipAddress,
        current: s.sessionId === currentSessionId,
      })),
    };
  }
}
