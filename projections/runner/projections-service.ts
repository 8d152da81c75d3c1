import { ApplicationErrors } from '../../application/shared/application.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore } from '../../application/ports/event-store.port.js';
import type { ProjectionInfo, Projections } from '../../application/ports/projections.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { REQUESTS_COLLECTION, readProjectionStatus, waitForCheckpoints } from './projection-status.js';

/**
 * The read side as other processes see it: status from the read store, rebuilds requested through a
 * request document that the projector (in this process or another) picks up.
 */
export class ProjectionsService implements Projections {
  constructor(
    private readonly projections: readonly Projection[],
    private readonly store: ReadStore,
    private readonly events: EventStore,
    private readonly clock: Clock,
  ) {}

  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  status(options: { lagCap?: number } = {}): Promise<ProjectionInfo[]> {
    return readProjectionStatus(this.projections, this.store, this.events, this.clock.now(), options.lagCap);
  }

  async requestRebuild(name: string, requestedBy: string): Promise<void> {
    if (!this.projections.some((p) => p.name === name))
      throw new DomainError(ApplicationErrors.projectionNotFound, `No projection named ${name}`);
    await this.store.ensureCollection({ name: REQUESTS_COLLECTION });
    await this.store
      .collection(REQUESTS_COLLECTION)
      .put({ _id: name, requestedBy, requestedAt: this.clock.now().toISOString() });
  }

  waitFor(readModels: readonly string[], position: bigint, timeoutMs: number): Promise<boolean> {
    return waitForCheckpoints(this.store, readModels, position, timeoutMs);
  }
}
