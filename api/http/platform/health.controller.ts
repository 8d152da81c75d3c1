import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store.port.js';
import {
  PROCESS_REGISTRY,
  type ProcessComponent,
  type ProcessRegistry,
} from '../../../application/ports/process-registry.port.js';
import { PROJECTIONS, type Projections } from '../../../application/ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../../../application/ports/read-store.port.js';
import { STORAGE_HEALTH, type StorageHealth } from '../../../application/ports/storage-health.port.js';
import { DRAINING, type Draining } from './draining.js';
import { AUDIT_STATE, LAST_VERIFICATION, type LastVerificationDoc } from '../../../application/audit/audit.view.js';

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
      properties: {
        eventStore: check,
        writes: check,
        readStore: check,
        projections: check,
        projector: check,
        worker: check,
        // Down from the stop signal on (the process drains, then closes its listener).
        shutdown: check,
        // The last verification of the hash chains: with verifiedAt, checkedEvents, firstBroken.
        audit: { type: 'object', additionalProperties: true, properties: check.properties },
      },
    },
  },
} as const;

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
    @Inject(STORAGE_HEALTH) private readonly storage: StorageHealth,
    @Inject(PROCESS_REGISTRY) private readonly processes: ProcessRegistry,
    @Optional() @Inject(DRAINING) private readonly draining?: Draining,
  ) {}

  /** The process answers: nothing else (a restart would not mend a store or another process). */
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
    description: `Not ready when a store is unreachable or a read model is not started or more than ${READY_MAX_LAG_EVENTS} events behind, and from the stop signal on (the process drains before it closes its listener).`,
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
    const writes = this.writes();
    let projections: Check & { lagging?: string[] } = { status: 'down', detail: 'read store unreachable' };
    let projector: Check = projections;
    let worker: Check = projections;
    if (readStore.status === 'up') {
      projections = await this.lag();
      [projector, worker] = await this.heartbeats(['projector', 'worker']);
    }
    const audit = readStore.status === 'up' ? await this.lastVerification() : { status: 'up' as const };
    const since = this.draining?.since;
    const shutdown: Check = since
      ? { status: 'down', detail: `shutting down since ${since}: finishing the requests under way` }
      : { status: 'up' };
    const checks = { eventStore, writes, readStore, projections, projector, worker, audit, shutdown };
    const up = Object.values(checks).every((c) => c.status === 'up');
    if (!up) reply.code(503).header('Retry-After', '5');
    return { status: up ? 'up' : 'down', checks };
  }

  /** Down after an I/O error (until restart) and while the disk is full, with the store's code and since when. */
  private writes(): Check {
    const health = this.storage.writeHealth();
    if (health.state === 'ok') return { status: 'up' };
    const store = health.store ?? 'event store';
    return {
      status: 'down',
      detail:
        health.state === 'full'
          ? `the ${store}'s disk is full (${health.code}) since ${health.since}: writes resume when space is freed`
          : store === 'event store'
            ? `an event store write failed with ${health.code} at ${health.since}: this process acknowledges no writes until it is restarted`
            : `a read store write failed with ${health.code} at ${health.since}, and none has worked since`,
    };
  }

  private async lag(): Promise<Check & { lagging?: string[] }> {
    try {
      const status = await this.projections.status({ lagCap: READY_MAX_LAG_EVENTS });
      const lagging = status.filter((p) => p.lag.capped || p.status === 'not_started').map((p) => p.name);
      return lagging.length === 0
        ? { status: 'up' }
        : {
            status: 'down',
            detail: `read models behind by more than ${READY_MAX_LAG_EVENTS} events or not started`,
            lagging,
          };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }

  /** Each component must have a heartbeat younger than the registry's limit from a process where it works. */
  private async heartbeats(components: ProcessComponent[]): Promise<Check[]> {
    try {
      const beats = await this.processes.beats();
      return components.map((component) => {
        const running = beats.filter((b) => b.components.includes(component));
        if (running.some((b) => b.health[component]?.ok !== false)) return { status: 'up' };
        const seconds = Math.round(this.processes.staleAfterMs / 1000);
        return {
          status: 'down',
          detail:
            running.length === 0
              ? `no ${component} has sent a heartbeat in the last ${seconds} s`
              : `every ${component} reports a problem: ${running.map((b) => b.health[component]?.detail).join('; ')}`,
        };
      });
    } catch (error) {
      return components.map(() => ({ status: 'down' as const, detail: (error as Error).message }));
    }
  }

  /** The last verification of the hash chains (the worker's, or an auditor's): a broken chain is not ready. */
  private async lastVerification(): Promise<Check & Record<string, unknown>> {
    let last: LastVerificationDoc | null;
    try {
      last = (await this.store.collection(AUDIT_STATE).findById(LAST_VERIFICATION)) as LastVerificationDoc | null;
    } catch {
      last = null; // not verified yet: the collection is made by the first verification
    }
    if (!last) return { status: 'up', verified: false };
    const summary = { verifiedAt: last.verifiedAt, checkedEvents: last.checkedEvents };
    return last.ok
      ? { status: 'up', verified: true, ...summary }
      : {
          status: 'down',
          detail: 'the event log failed verification',
          verified: true,
          ...summary,
          firstBroken: last.firstBroken,
        };
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
