import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { STATUS_COLLECTION, type StatusDoc } from './projection-status.js';

export interface RebuildProgress {
  position: bigint;
  target: bigint;
}

export interface RebuildOptions {
  projection: Projection;
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  clock: Clock;
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  park?: (event: RecordedEvent, error: Error) => Promise<void>;
  /** Called just before the swap (the projector stops its live runner here). */
  beforePromote?: () => Promise<void>;
  afterPromote?: () => Promise<void>;
}

export const shadowName = (name: string): string => `${name}__rebuild`;

/**
 * Rebuild from position zero without downtime: run the projection into a shadow collection with its
 * own checkpoint until it reaches the head of the log (indexes are built once at that point rather
 * than kept up on every write), stop the live runner, close the last gap, then promote (swap
 * collections and checkpoint in one step). Readers see the old model until the swap.
 * A live runner in another process notices the moved checkpoint on its next commit and resumes from it.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<void> {
  const { projection, store, events, logger } = options;
  const collection = shadowName(projection.collection);
  const checkpoint = shadowName(projection.name);
  await store.dropCollection(collection);
  await store.deleteCheckpoint(checkpoint);
  const runner = new ProjectionRunner({
    projection,
    events,
    store,
    logger,
    collection,
    checkpoint,
    batchSize: options.batchSize ?? 2000,
    park: options.park,
    deferIndexes: true,
  });
  const statuses = store.collection<StatusDoc>(STATUS_COLLECTION);
  const startedAt = options.clock.now().toISOString();
  const report = async (position: bigint, target: bigint, status: string) => {
    options.onProgress?.({ position, target });
    const previous = await statuses.findById(projection.name);
    await statuses.put({
      _id: projection.name,
      version: previous?.version ?? projection.version,
      status,
      lastError: null,
      updatedAt: options.clock.now().toISOString(),
      rebuild: { startedAt, position: String(position), target: String(target) },
    });
  };

  const target = await events.headPosition();
  logger.info('rebuild started', { projection: projection.name, target: String(target) });
  let lastReport = 0;
  runner.on('checkpoint', (position: bigint) => {
    if (Date.now() - lastReport < 250) return options.onProgress?.({ position, target });
    lastReport = Date.now();
    void report(position, target, 'rebuilding').catch(() => undefined);
  });
  await report(0n, target, 'rebuilding');
  await runner.start(target);
  await store.ensureCollection({ name: collection, indexes: projection.indexes }); // built once, not kept up per write

  await options.beforePromote?.();
  const finalTarget = await events.headPosition();
  await runner.start(finalTarget);
  runner.removeAllListeners('checkpoint');
  await store.promote([{ from: collection, to: projection.collection }], checkpoint, projection.name);
  await statuses.put({
    _id: projection.name,
    version: projection.version,
    status: 'running',
    lastError: null,
    updatedAt: options.clock.now().toISOString(),
    rebuild: null,
  });
  options.onProgress?.({ position: finalTarget, target: finalTarget });
  logger.info('rebuild promoted', { projection: projection.name, position: String(finalTarget) });
  await options.afterPromote?.();
}
