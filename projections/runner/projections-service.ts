import { ApplicationErrors } from '../../application/shared/application.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore } from '../../application/ports/event-store.port.js';
import type {
  PointInTimeInfo,
  ProjectionInfo,
  Projections,
  ReadModelLocation,
} from '../../application/ports/projections.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import {
  PARKED_COLLECTION,
  REQUESTS_COLLECTION,
  readProjectionStatus,
  waitForCheckpoints,
} from './projection-status.js';
import {
  POINT_IN_TIME_COLLECTION,
  pointInTimeCollection,
  pointInTimeName,
  type PointInTimeDoc,
} from './point-in-time.js';

const infoOf = (d: PointInTimeDoc): PointInTimeInfo => ({
  name: d._id,
  projection: d.projection,
  atPosition: d.atPosition,
  state: d.state,
  requestedAt: d.requestedAt,
  ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
  ...(d.error ? { error: d.error } : {}),
});

/**
 * The read side as other processes see it: status from the read store, rebuilds (and point-in-time
 * builds) requested through documents that the projector (in this process or another) picks up.
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

  async requestRebuild(
    name: string,
    requestedBy: string,
    options: { atPosition?: bigint } = {},
  ): Promise<{ name: string }> {
    const projection = this.find(name);
    if (!projection) throw new DomainError(ApplicationErrors.projectionNotFound, `No projection named ${name}`);
    const requestedAt = this.clock.now().toISOString();
    if (options.atPosition === undefined) {
      await this.store.ensureCollection({ name: REQUESTS_COLLECTION });
      await this.store.collection(REQUESTS_COLLECTION).put({ _id: name, requestedBy, requestedAt });
      return { name };
    }
    const head = await this.events.headPosition();
    if (options.atPosition > head)
      throw new DomainError(
        ApplicationErrors.positionInvalid,
        `Position ${String(options.atPosition)} is beyond the head of the log (${String(head)})`,
        [{ field: 'atPosition', message: `at most ${String(head)}` }],
      );
    const id = pointInTimeName(name, options.atPosition);
    await this.store.ensureCollection({ name: POINT_IN_TIME_COLLECTION, indexes: [{ fields: { state: 1 } }] });
    const docs = this.store.collection<PointInTimeDoc>(POINT_IN_TIME_COLLECTION);
    const existing = await docs.findById(id);
    // Asked for again: a ready or building one stands; a failed one is built again.
    if (!existing || existing.state === 'failed') {
      await this.store.dropCollection(pointInTimeCollection(projection.collection, options.atPosition));
      await this.store.deleteCheckpoint(id);
      await docs.put({
        _id: id,
        projection: name,
        atPosition: String(options.atPosition),
        collection: pointInTimeCollection(projection.collection, options.atPosition),
        state: 'requested',
        requestedBy,
        requestedAt,
      });
    }
    return { name: id };
  }

  async pointsInTime(): Promise<PointInTimeInfo[]> {
    await this.store.ensureCollection({ name: POINT_IN_TIME_COLLECTION, indexes: [{ fields: { state: 1 } }] });
    const docs = await this.store
      .collection<PointInTimeDoc>(POINT_IN_TIME_COLLECTION)
      .find({}, { sort: { requestedAt: 1 } });
    return docs.map(infoOf);
  }

  async locate(name: string): Promise<ReadModelLocation | null> {
    const live = this.find(name);
    if (live) return { name, collection: live.collection, state: 'live', personalData: live.personalData === true };
    const at = name.lastIndexOf('@');
    const projection = at > 0 ? this.find(name.slice(0, at)) : undefined;
    if (!projection) return null;
    await this.store.ensureCollection({ name: POINT_IN_TIME_COLLECTION, indexes: [{ fields: { state: 1 } }] });
    const doc = await this.store.collection<PointInTimeDoc>(POINT_IN_TIME_COLLECTION).findById(name);
    if (!doc) return null;
    return {
      name,
      collection: doc.collection,
      state: doc.state,
      personalData: projection.personalData === true,
      atPosition: doc.atPosition,
    };
  }

  async parkedEvents(): Promise<{ total: number; byConsumer: Record<string, number> }> {
    await this.store.ensureCollection({ name: PARKED_COLLECTION });
    const parked = await this.store.collection(PARKED_COLLECTION).find({});
    const byConsumer: Record<string, number> = {};
    for (const p of parked) byConsumer[String(p.consumer)] = (byConsumer[String(p.consumer)] ?? 0) + 1;
    return { total: parked.length, byConsumer };
  }

  waitFor(readModels: readonly string[], position: bigint, timeoutMs: number): Promise<boolean> {
    return waitForCheckpoints(this.store, readModels, position, timeoutMs);
  }

  private find(name: string): Projection | undefined {
    return this.projections.find((p) => p.name === name);
  }
}
