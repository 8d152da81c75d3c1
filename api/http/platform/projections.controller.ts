import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { PROJECTIONS, type Projections } from '../../../application/ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../../../application/ports/read-store.port.js';
import { ApplicationErrors } from '../../../application/shared/application.errors.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { HttpError, HttpErrors } from './http.errors.js';
import { pageQuery, pageOf, problems } from './common.schemas.js';

const analysts = { access: ['analyst', 'admin'] as const };
const readModelName = { type: 'string', pattern: '^[a-z0-9_-]{1,64}(@[0-9]{1,20})?$' } as const;
const nameParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: readModelName },
} as const;
const documentItem = { type: 'object', additionalProperties: true } as const;

@Controller('v1/projections')
export class ProjectionsController {
  constructor(
    @Inject(PROJECTIONS) private readonly projections: Projections,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  @Get()
  @RouteConfig(analysts)
  @RouteSchema({
    tags: ['analytics'],
    summary: 'Read models: version, checkpoint, lag, state; then the point-in-time ones (`name@position`)',
    response: {
      200: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: true,
          properties: {
            name: { type: 'string' },
            version: { type: 'integer' },
            position: { type: 'string' },
            lag: { type: 'object', additionalProperties: true },
            status: { type: 'string' },
            pointInTime: { type: 'object', additionalProperties: true },
          },
        },
      },
    },
  })
  async list() {
    const live = await this.projections.status();
    const pointsInTime = await this.projections.pointsInTime();
    return [
      ...live,
      ...pointsInTime.map((p) => ({
        name: p.name,
        version: live.find((l) => l.name === p.projection)?.version ?? 0,
        position: p.atPosition,
        status: p.state,
        pointInTime: p,
      })),
    ];
  }

  @Post(':name/rebuild')
  @RouteConfig(analysts)
  @HttpCode(202)
  @RouteSchema({
    tags: ['analytics'],
    summary:
      'Rebuild a read model from position zero (the live one serves until the rebuilt one takes over), or build it as it stood at `atPosition` under its own name',
    params: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } },
    },
    body: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        atPosition: {
          type: 'string',
          pattern: '^[0-9]{1,20}$',
          description:
            'Build the read model as it stood once this position of the log was applied, as `<name>@<position>` beside the live one (which is left alone); read it with GET /v1/projections/{name}@{position}/documents, and the reports with `?atPosition=`',
        },
      },
      examples: [{}],
    },
    response: {
      202: {
        type: 'object',
        properties: { name: { type: 'string' }, status: { type: 'string' }, atPosition: { type: 'string' } },
      },
      ...problems(400, 404),
    },
  })
  async rebuild(
    @Param('name') name: string,
    @Body() body: { atPosition?: string } | null,
    @Req() request: FastifyRequest,
  ) {
    const requestedBy = request.actor?.userId ?? 'anonymous';
    if (body?.atPosition === undefined) {
      await this.projections.requestRebuild(name, requestedBy);
      return { name, status: 'rebuild_requested' };
    }
    const built = await this.projections.requestRebuild(name, requestedBy, { atPosition: BigInt(body.atPosition) });
    return { name: built.name, status: 'rebuild_requested', atPosition: body.atPosition };
  }

  @Get(':name/documents')
  @RouteConfig(analysts)
  @RouteSchema({
    tags: ['analytics'],
    summary:
      'The documents of a read model, live or point-in-time (`name@position`), in `_id` order; read models with personal data are for admins',
    params: nameParams,
    querystring: { type: 'object', additionalProperties: false, properties: pageQuery },
    response: { 200: pageOf(documentItem), ...problems(400, 403, 404, 503) },
  })
  async documents(
    @Param('name') name: string,
    @Query() query: { limit: number; cursor?: string },
    @Req() request: FastifyRequest,
  ) {
    const collection = await this.readable(name, request);
    return this.store
      .collection(collection)
      .findPage({}, { sort: { _id: 1 }, limit: query.limit, cursor: query.cursor });
  }

  @Get(':name/documents/:id')
  @RouteConfig(analysts)
  @RouteSchema({
    tags: ['analytics'],
    summary: 'One document of a read model, live or point-in-time (`name@position`)',
    params: {
      type: 'object',
      required: ['name', 'id'],
      additionalProperties: false,
      properties: { name: readModelName, id: { type: 'string', minLength: 1, maxLength: 300 } },
    },
    response: { 200: documentItem, ...problems(403, 404, 503) },
  })
  async document(@Param('name') name: string, @Param('id') id: string, @Req() request: FastifyRequest) {
    const collection = await this.readable(name, request);
    const doc = await this.store.collection(collection).findById(id);
    if (!doc) throw new DomainError(ApplicationErrors.documentNotFound, `No document ${id} in ${name}`);
    return doc;
  }

  /** The collection of a read model the caller may browse: built, and without personal data unless an admin asks. */
  private async readable(name: string, request: FastifyRequest): Promise<string> {
    const found = await this.projections.locate(name);
    if (!found || found.state === 'failed')
      throw new DomainError(
        ApplicationErrors.projectionNotFound,
        found ? `${name} failed to build (${name}); ask for it again` : `No read model named ${name}`,
      );
    if (found.personalData && !request.auth?.roles.includes('admin'))
      throw new HttpError(HttpErrors.forbidden, `${name} holds personal data: admins only`);
    if (found.state !== 'live' && found.state !== 'ready')
      throw new DomainError(ApplicationErrors.readModelNotReady, `${name} is ${found.state}; try again shortly`);
    return found.collection;
  }
}
