import { Controller, Get, Inject, Res } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store.port.js';
import { PROJECTIONS, type Projections } from '../../../application/ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../../../application/ports/read-store.port.js';

/** A read model further behind than this (events) makes the instance not ready. */
export const READY_MAX_LAG_EVENTS = 1000;

type Check = { status: 'up' | 'down'; detail?: string };

const check = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    detail: { type: 'string' },
    lagging: { type: 'array', items: { type: 'string' } },
  },
} as const;
const readiness = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    checks: {
      type: 'object',
      properties: { eventStore: check, readStore: check, projections: check },
    },
  },
} as const;

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  @Get('live')
  @RouteSchema({
    tags: ['platform'],
    summary: 'Liveness: the process runs',
    response: { 200: { type: 'object', properties: { status: { const: 'up' } } } },
  })
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @RouteSchema({
    tags: ['platform'],
    summary: 'Readiness: the stores answer and the read models are started and caught up',
    description: `Not ready when a store is unreachable or a read model is not started or more than ${READY_MAX_LAG_EVENTS} events behind.`,
    response: {
      200: { ...readiness, description: 'Ready' },
      503: {
        ...readiness,
        description: 'Not ready (Retry-After: 5)',
        headers: { 'Retry-After': { type: 'integer' } },
      },
    },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [eventStore, readStore] = await Promise.all([
      probe(() => this.events.ping()),
      probe(() => this.store.ping()),
    ]);
    let projections: Check & { lagging?: string[] } = { status: 'down', detail: 'read store unreachable' };
    if (readStore.status === 'up') {
      try {
        const status = await this.projections.status({ lagCap: READY_MAX_LAG_EVENTS });
        const lagging = status.filter((p) => p.lag.capped || p.status === 'not_started').map((p) => p.name);
        projections =
          lagging.length === 0
            ? { status: 'up' }
            : { status: 'down', detail: 'read models behind or not started', lagging };
      } catch (error) {
        projections = { status: 'down', detail: (error as Error).message };
      }
    }
    const checks = { eventStore, readStore, projections };
    const up = Object.values(checks).every((c) => c.status === 'up');
    if (!up) reply.code(503).header('Retry-After', '5');
    return { status: up ? 'up' : 'down', checks };
  }
}

async function probe(ping: () => Promise<void>): Promise<Check> {
  try {
    await ping();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message };
  }
}
