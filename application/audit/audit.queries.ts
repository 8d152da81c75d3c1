import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port.js';

/** Secrets that events carry for the write side and no reader needs, auditors included. */
const REDACTED = new Set(['passwordHash', 'secretHash', 'password', 'totpSecret', 'recoveryCodeHashes']);

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACTED.has(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

export interface AuditEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
  /** Its link in the stream's hash chain (null: written before the chain). */
  hash: string | null;
}

const present = (e: RecordedEvent): AuditEvent => ({
  eventId: e.id,
  streamId: e.streamId,
  revision: Number(e.revision),
  position: String(e.position),
  type: e.type,
  data: redact(e.data),
  metadata: e.metadata,
  recordedAt: e.recordedAt,
  hash: e.hash ?? null,
});

export class ReadStreamHistoryQuery extends Query<{
  streamId: string;
  events: AuditEvent[];
  nextRevision: number | null;
}> {
  constructor(
    readonly streamId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}

export interface EventCriteria {
  fromPosition?: string;
  /** Inclusive: events at or before this position only. */
  toPosition?: string;
  limit: number;
  type?: string;
  actor?: string;
  correlationId?: string;
  since?: string;
  until?: string;
}

export class SearchEventsQuery extends Query<{ events: AuditEvent[]; nextPosition: string | null }> {
  constructor(readonly criteria: EventCriteria) {
    super();
  }
}

/** Scanning stops after this many events per request; `nextPosition` then lets the auditor go on. */
export const AUDIT_SCAN_LIMIT = 20_000;
const PAGE = 1000;

@QueryHandler(ReadStreamHistoryQuery)
export class ReadStreamHistoryHandler implements IQueryHandler<ReadStreamHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute({ streamId, fromRevision, limit }: ReadStreamHistoryQuery) {
    const events = await this.store.readStream(streamId, { fromRevision: BigInt(fromRevision), maxCount: limit + 1 });
    const page = events.slice(0, limit);
    return {
      streamId,
      events: page.map(present),
      nextRevision: events.length > limit ? Number(events[limit].revision) : null,
    };
  }
}

const matcher =
  (c: Omit<EventCriteria, 'limit'>) =>
  (e: RecordedEvent): boolean =>
    (!c.type || c.type.split(',').includes(e.type)) &&
    (!c.actor || e.metadata.actor?.userId === c.actor) &&
    (!c.correlationId || e.metadata.correlationId === c.correlationId) &&
    (!c.since || e.metadata.occurredAt >= c.since) &&
    (!c.until || e.metadata.occurredAt < c.until);

/**
 * The whole range of the log that matches, one event at a time, read a page at a time: whoever pulls
 * sets the pace (an HTTP answer, a file), so memory stays the same however long the range.
 */
export async function* eventsInRange(store: EventStore, c: Omit<EventCriteria, 'limit'>): AsyncGenerator<AuditEvent> {
  const matches = matcher(c);
  const to = c.toPosition === undefined ? null : BigInt(c.toPosition);
  let after = c.fromPosition ? BigInt(c.fromPosition) : 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    for (const event of page) {
      if (to !== null && event.position > to) return;
      after = event.position;
      if (matches(event)) yield present(event);
    }
    if (page.length < PAGE) return;
  }
}

/** Every matching event of a range, as a stream (NDJSON export, `npm run export`). */
export class ExportEventsQuery extends Query<AsyncIterable<AuditEvent>> {
  constructor(readonly criteria: Omit<EventCriteria, 'limit'>) {
    super();
  }
}

@QueryHandler(ExportEventsQuery)
export class ExportEventsHandler implements IQueryHandler<ExportEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute({ criteria }: ExportEventsQuery): Promise<AsyncIterable<AuditEvent>> {
    if (criteria.fromPosition) await this.store.readAll({ after: BigInt(criteria.fromPosition), maxCount: 1 }); // refuse a foreign position before the answer starts
    return eventsInRange(this.store, criteria);
  }
}

@QueryHandler(SearchEventsQuery)
export class SearchEventsHandler implements IQueryHandler<SearchEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute({ criteria: c }: SearchEventsQuery) {
    const matches = matcher(c);
    const to = c.toPosition === undefined ? null : BigInt(c.toPosition);
    const found: AuditEvent[] = [];
    let after = c.fromPosition ? BigInt(c.fromPosition) : 0n;
    let scanned = 0;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      for (const event of page) {
        if (to !== null && event.position > to) return { events: found, nextPosition: null };
        after = event.position;
        scanned++;
        if (matches(event)) found.push(present(event));
        if (found.length === c.limit) return { events: found, nextPosition: String(after) };
      }
      if (page.length < PAGE) return { events: found, nextPosition: null };
      if (scanned >= AUDIT_SCAN_LIMIT) return { events: found, nextPosition: String(after) };
    }
  }
}
