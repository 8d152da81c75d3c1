import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ExportEventsQuery,
  ReadStreamHistoryQuery,
  SearchEventsQuery,
  type AuditEvent,
  type EventCriteria,
} from '../../../application/audit/audit.queries.js';
import { AsOfQuery } from '../../../application/audit/as-of.query.js';
import type { AsOfArea } from '../../../application/ports/as-of.port.js';
import { RecordExportCommand } from '../../../application/audit/record-export.command.js';
import { SecurityEventsQuery, type SecurityCriteria } from '../../../application/audit/security-events.query.js';
import { TakeCheckpointCommand } from '../../../application/audit/take-checkpoint.command.js';
import { VerifyAuditQuery } from '../../../application/audit/verify-audit.query.js';
import { problems, uuidParam } from '../platform/common.schemas.js';
import { commandContext } from '../platform/http-context.js';
import {
  asOfQuerySchema,
  asOfSchema,
  securityEventsSchema,
  checkpointsTakenSchema,
  verifyReportSchema,
} from './audit.schemas.js';

export const NDJSON = 'application/x-ndjson';

/** One event a line, pulled a page at a time as the client reads (backpressure: nothing is read ahead of the socket). */
function ndjson(events: AsyncIterable<AuditEvent>): Readable {
  return Readable.from(
    (async function* () {
      for await (const event of events) yield `${JSON.stringify(event)}\n`;
    })(),
    { objectMode: false, highWaterMark: 64 * 1024 },
  );
}

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
    hash: { type: ['string', 'null'], description: "The event's link in its stream's hash chain (hex SHA-256)" },
  },
} as const;
const timestamp = { type: 'string', format: 'date-time' } as const;

/** The complete history, for auditors: who did what, when, and why (secrets redacted). */
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

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
    description:
      'With `Accept: application/x-ndjson` the whole range (from `fromPosition` to `toPosition`) streams as one event a line, without `limit`.',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fromPosition: { type: 'string', pattern: '^[0-9]{1,20}$' },
        toPosition: { type: 'string', pattern: '^[0-9]{1,20}$', description: 'Inclusive' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        type: { type: 'string', maxLength: 1000, description: 'An event type, or several separated by commas' },
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
  async events(
    @Query() query: EventCriteria,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!(request.headers.accept ?? '').includes(NDJSON)) return this.queries.execute(new SearchEventsQuery(query));
    const { limit: _all, ...range } = query;
    const events = await this.queries.execute(new ExportEventsQuery(range));
    // Who took the log out, when, from where: recorded before the first line goes.
    const client = { ipAddress: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
    const recorded = await this.commands.execute(new RecordExportCommand(range, client, commandContext(request)));
    reply.header('content-type', `${NDJSON}; charset=utf-8`).header('x-export-id', recorded.exportId);
    return ndjson(events);
  }

  @Get('security-events')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: 'Security events: sign-ins, failures, lockouts, sign-outs, accounts and roles, password changes, exports',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fromPosition: { type: 'string', pattern: '^[0-9]{1,20}$' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        type: { type: 'string', maxLength: 1000, description: 'Event types separated by commas' },
        userId: { type: 'string', maxLength: 200, description: 'The account concerned, or the actor' },
        since: timestamp,
        until: timestamp,
      },
    },
    response: { 200: securityEventsSchema, ...problems(400, 401, 403) },
  })
  securityEvents(@Query() query: SecurityCriteria) {
    return this.queries.execute(new SecurityEventsQuery(query));
  }

  @Get('verify')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary:
      'Recompute every hash chain and signed checkpoint; name the first event changed, removed, inserted or reordered',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { fromPosition: { type: 'string', pattern: '^[0-9]{1,20}$' } },
    },
    response: { 200: verifyReportSchema, ...problems(400, 401, 403) },
  })
  verify(@Query() query: { fromPosition?: string }) {
    return this.queries.execute(new VerifyAuditQuery(BigInt(query.fromPosition ?? '0')));
  }

  @Post('checkpoints')
  @HttpCode(200)
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: 'Record signed Merkle checkpoints of every hash chain now (the worker does it periodically)',
    body: { type: 'object', additionalProperties: false, properties: {}, examples: [{}] },
    response: { 200: checkpointsTakenSchema, ...problems(400, 401, 403, 409) },
  })
  async checkpoint(@Body() _body: Record<string, never>, @Req() request: FastifyRequest) {
    const taken = await this.commands.execute(new TakeCheckpointCommand(commandContext(request)));
    return { ...taken, position: taken.last?.position ?? null };
  }

  @Get('orders/:id/as-of')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: 'The order as it stood at a position or a time, folded from its events, with the events applied',
    params: uuidParam('id'),
    querystring: asOfQuerySchema,
    response: { 200: asOfSchema, ...problems(400, 401, 403, 404) },
  })
  ordersAsOf(@Param('id') id: string, @Query() query: { at?: string; position?: string }) {
    return this.asOf('orders', id, query);
  }

  @Get('customers/:id/as-of')
  @RouteConfig({ ...auditors, readModels: ['orders'] }) // the orders that name it are found there
  @RouteSchema({
    tags: ['audit'],
    summary: 'The customer as it stood at a position or a time, folded from its events, with the events applied',
    params: uuidParam('id'),
    querystring: asOfQuerySchema,
    response: { 200: asOfSchema, ...problems(400, 401, 403, 404) },
  })
  customersAsOf(@Param('id') id: string, @Query() query: { at?: string; position?: string }) {
    return this.asOf('customers', id, query);
  }

  @Get('products/:id/as-of')
  @RouteConfig({ ...auditors, readModels: ['orders'] }) // the orders that name it are found there
  @RouteSchema({
    tags: ['audit'],
    summary: 'The product as it stood at a position or a time, folded from its events, with the events applied',
    params: uuidParam('id'),
    querystring: asOfQuerySchema,
    response: { 200: asOfSchema, ...problems(400, 401, 403, 404) },
  })
  productsAsOf(@Param('id') id: string, @Query() query: { at?: string; position?: string }) {
    return this.asOf('products', id, query);
  }

  @Get('payments/:id/as-of')
  @RouteConfig(auditors)
  @RouteSchema({
    tags: ['audit'],
    summary: 'The payment as it stood at a position or a time, folded from its events, with the events applied',
    params: uuidParam('id'),
    querystring: asOfQuerySchema,
    response: { 200: asOfSchema, ...problems(400, 401, 403, 404) },
  })
  paymentsAsOf(@Param('id') id: string, @Query() query: { at?: string; position?: string }) {
    return this.asOf('payments', id, query);
  }

  private asOf(area: AsOfArea, id: string, query: { at?: string; position?: string }) {
    return this.queries.execute(
      new AsOfQuery(area, id, {
        ...(query.position === undefined ? {} : { position: BigInt(query.position) }),
        ...(query.at === undefined ? {} : { at: new Date(query.at).toISOString() }),
      }),
    );
  }
}
