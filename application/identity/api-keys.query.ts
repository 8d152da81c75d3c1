import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '../ports/read-store.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { ACCESS_READ_MODEL, API_KEY_USE_COLLECTION, type ApiKeyAccessDoc, type ApiKeyUseDoc } from './access.view.js';

export interface ApiKeyView {
  apiKeyId: string;
  name: string;
  roles: string[];
  createdAt: string;
  expiresAt: string | null;
  /** When a call last used it (to the minute), null when never. */
  lastUsedAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
}

/** Every API key, newest first (revoked and expired ones too: an admin sees what existed). */
export class ListApiKeysQuery extends Query<Page<ApiKeyView>> {
  constructor(readonly criteria: { limit?: number; cursor?: string }) {
    super();
  }
}

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({ criteria }: ListApiKeysQuery): Promise<Page<ApiKeyView>> {
    const page = await this.store
      .collection<ApiKeyAccessDoc>(ACCESS_READ_MODEL)
      .findPage(
        { kind: 'apikey' },
        { sort: { createdAt: -1 }, limit: criteria.limit ?? 20, cursor: criteria.cursor ?? null },
      );
    const uses = await this.store
      .collection<ApiKeyUseDoc>(API_KEY_USE_COLLECTION)
      .findByIds(page.items.map((k) => k.apiKeyId));
    const lastUse = new Map(uses.map((u) => [u._id, u.lastUsedAt]));
    return {
      items: page.items.map((k) => ({
        apiKeyId: k.apiKeyId,
        name: k.name,
        roles: k.roles,
        createdAt: k.createdAt,
        expiresAt: k.expiresAt,
        lastUsedAt: lastUse.get(k.apiKeyId) ?? null,
        revoked: k.revoked,
        revokedAt: k.revokedAt,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
