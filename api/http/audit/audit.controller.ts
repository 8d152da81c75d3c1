import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import {
  ReadStreamHistoryQuery,
  SearchEventsQuery,
  type EventCriteria,
} from '../../../application/audit/audit.queries.js';
import { problems } from '../platform/common.schemas.js';

const auditors = { access: ['auditor', 'admin'] as const };
const event = {
  type: 'object',
  properties: {
    eventId: { type: 'string' },
    streamId: { type: 'string' },
    revision: { type: 'integer' },
    position: { type: 'string' },
    type: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    metadata: { type: 'object', additionalProperties: true },
    recordedAt: { type: 'string' },
  },
} as const;
const timestamp = { type: 'string', format: 'date-time' } as const;

/** The complete history, for auditors: who did what, when, and why (secrets redacted). */
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('streams/:streamId')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: "One stream's events in order",
    params: {
      type: 'object',
      required: ['streamId'],
      additionalProperties: false,
      properties: { streamId: { type: 'string', pattern: '^[a-z]+-[A-Za-z0-9%._~-]{1,200}$' } },
    },
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fromRevision: { type: 'integer', minimum: 0, default: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          streamId: { type: 'string' },
          events: { type: 'array', items: event },
          nextRevision: { type: ['integer', 'null'] },
        },
      },
      ...problems(400, 401, 403, 410),
    },
  })
  stream(@Param('streamId') streamId: string, @Query() query: { fromRevision: number; limit: number }) {
    return this.queries.execute(new ReadStreamHistoryQuery(streamId, query.fromRevision, query.limit));
  }

  @Get('events')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: 'The global log, filtered',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fromPosition: { type: 'string', pattern: '^[0-9]{1,20}$' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        type: { type: 'string', maxLength: 100 },
        actor: { type: 'string', maxLength: 200 },
        correlationId: { type: 'string', maxLength: 200 },
        since: timestamp,
        until: timestamp,
      },
    },
    response: {
      200: {
        type: 'object',
        properties: { events: { type: 'array', items: event }, nextPosition: { type: ['string', 'null'] } },
      },
      ...problems(400, 401, 403),
    },
  })
  events(@Query() query: EventCriteria) {
    return this.queries.execute(new SearchEventsQuery(query));
  }
}
