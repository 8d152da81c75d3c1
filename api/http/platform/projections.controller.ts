import { Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { PROJECTIONS, type Projections } from '../../../application/ports/projections.port.js';
import { problems } from './common.schemas.js';

const analysts = { access: ['analyst', 'admin'] as const };

@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(PROJECTIONS) private readonly projections: Projections) {}

  @Get()
  @RouteConfig(analysts)
  @RouteSchema({
    tags: ['analytics'],
    summary: 'Read models: version, checkpoint, lag, state',
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
          },
        },
      },
    },
  })
  list() {
    return this.projections.status();
  }

  @Post(':name/rebuild')
  @RouteConfig(analysts)
  @HttpCode(202)
  @RouteSchema({
    tags: ['analytics'],
    summary: 'Rebuild a read model from position zero; the live one serves until the rebuilt one takes over',
    params: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } },
    },
    response: {
      202: { type: 'object', properties: { name: { type: 'string' }, status: { type: 'string' } } },
      ...problems(404),
    },
  })
  async rebuild(@Param('name') name: string, @Req() request: FastifyRequest) {
    await this.projections.requestRebuild(name, request.actor?.userId ?? 'anonymous');
    return { name, status: 'rebuild_requested' };
  }
}
