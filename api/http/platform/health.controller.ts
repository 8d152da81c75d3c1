import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store.port.js';
import { PROJECTIONS, type Projections } from '../../../application/ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../../../application/ports/read-store.port.js';
import { AUDIT_STATE, LAST_VERIFICATION, type LastVerificationDoc } from '../../../application/audit/audit.view.js';

/** A read model further behind than this (events) makes the instance not ready. */
export const READY_MAX_LAG_EVENTS = 1000;

type Check = { status: 'up' | 'down'; detail?: string };

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  @Get('live')
  live() {
    return { status: 'up' };
  }

  @Get('ready')
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
    const audit = readStore.status === 'up' ? await this.lastVerification() : { status: 'up' as const };
    const checks = { eventStore, readStore, projections, audit };
    const up = Object.values(checks).every((c) => c.status === 'up');
    if (!up) reply.code(503).header('Retry-After', '5');
    return { status: up ? 'up' : 'down', checks };
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
