import type { LeaseToken } from '../../application/ports/lease-store.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { REBUILDS_COLLECTION, STATUS_COLLECTION, type RebuildDoc, type StatusDoc } from './projection-status.js';

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
  /** Go on from the shadow's checkpoint (a rebuild a restart interrupted) instead of starting over. */
  resume?: boolean;
  /** Called once the rebuild is recorded in the status document (it survives a crash from then on). */
  onStarted?: () => Promise<void>;
  /** Interrupts the rebuild (the process is stopping): it ends without promoting, and resumes at the next start. */
  signal?: AbortSignal;
  /** Called just before the swap (the projector stops its live runner here). */
  beforePromote?: () => Promise<void>;
  afterPromote?: () => Promise<void>;
  /** The projection's lease: the shadow's commits carry its token (see DurableSubscriber). */
  lease?: () => LeaseToken | null;
}

export const shadowName = (name: string): string => `${name}__rebuild`;

/** The rebuild was interrupted by a stop: nothing is wrong, it goes on at the next start. */
export class RebuildInterrupted extends Error {
  constructor(projection: string) {
    super(`Rebuild of ${projection} interrupted; it resumes at the next start`);
    this.name = 'RebuildInterrupted';
  }
}

/**
 * Rebuild from position zero without downtime: run the projection into a shadow collection with its
 * own checkpoint until it reaches the head of the log (indexes are built once at that point rather
 * than kept up on every write), stop the live runner, close the last gap, then promote (swap
 * collections and checkpoint in one step). Readers see the old model until the swap.
 * A rebuild document (`sys_rebuilds`) records the rebuild before the shadow gets a document, so a rebuild
 * a crash or a stop interrupted is found and resumed by the next start (`resume`). A rebuild that fails
 * is reported (its rebuild document says `failed` and why, until the next rebuild) and its shadow removed.
 * A live runner in another process notices the moved checkpoint on its next commit and resumes from it.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<void> {
  const { projection, store, events, logger } = options;
  const collection = shadowName(projection.collection);
  const checkpoint = shadowName(projection.name);
  const statuses = store.collection<StatusDoc>(STATUS_COLLECTION);
  const rebuilds = store.collection<RebuildDoc>(REBUILDS_COLLECTION);
  await store.ensureCollection({ name: REBUILDS_COLLECTION });
  const previous = await rebuilds.findById(projection.name);
  const shadowAt = await store.getCheckpoint(checkpoint);
  const resuming = options.resume === true && previous !== null && previous.state !== 'failed';
  if (!resuming || shadowAt === null) {
    await store.dropCollection(collection);
    await store.deleteCheckpoint(checkpoint);
  }
  const startedAt = (resuming && previous?.startedAt) || options.clock.now().toISOString();
  const setStatus = async (status: string, lastError: string | null) => {
    const latest = await statuses.findById(projection.name);
    await statuses.put({
      _id: projection.name,
      version: latest?.version ?? projection.version,
      variant: latest ? (latest.variant ?? null) : (projection.variant ?? null),
      status,
      lastError,
      updatedAt: options.clock.now().toISOString(),
    });
  };
  const report = async (position: bigint, target: bigint) => {
    options.onProgress?.({ position, target });
    await rebuilds.put({
      _id: projection.name,
      startedAt,
      position: String(position),
      target: String(target),
      state: 'running',
    });
  };
  const target = await events.headPosition();
  await report((resuming && shadowAt) || 0n, target);
  await setStatus('rebuilding', null);
  await options.onStarted?.();
  logger.info(resuming ? 'rebuild resumed' : 'rebuild started', {
    projection: projection.name,
    target: String(target),
  });

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
    lease: options.lease,
  });
  const stop = () => void runner.stop();
  options.signal?.addEventListener('abort', stop);
  const interrupted = () => options.signal?.aborted === true;
  // Progress reports run one after another, and are all done before the rebuild document is removed.
  let reports: Promise<void> = Promise.resolve();
  const quiet = async () => {
    runner.removeAllListeners('checkpoint');
    await reports;
  };
  try {
    let lastReport = 0;
    runner.on('checkpoint', (position: bigint) => {
      if (Date.now() - lastReport < 250) return options.onProgress?.({ position, target });
      lastReport = Date.now();
      reports = reports.then(() => report(position, target)).catch(() => undefined);
    });
    await runner.start(target);
    if (interrupted()) throw new RebuildInterrupted(projection.name);
    await store.ensureCollection({ name: collection, indexes: projection.indexes }); // built once, not kept up per write

    await options.beforePromote?.();
    const finalTarget = await events.headPosition();
    await runner.start(finalTarget);
    if (interrupted()) throw new RebuildInterrupted(projection.name);
    await quiet();
    await store.promote([{ from: collection, to: projection.collection }], checkpoint, projection.name);
    await rebuilds.delete(projection.name);
    await statuses.put({
      _id: projection.name,
      version: projection.version,
      variant: projection.variant ?? null,
      status: 'running',
      lastError: null,
      updatedAt: options.clock.now().toISOString(),
    });
    options.onProgress?.({ position: finalTarget, target: finalTarget });
    logger.info('rebuild promoted', { projection: projection.name, position: String(finalTarget) });
  } catch (error) {
    await quiet();
    await runner.stop();
    if (error instanceof RebuildInterrupted) {
      logger.info('rebuild interrupted; it resumes at the next start', { projection: projection.name });
      throw error;
    }
    logger.error('rebuild failed', { projection: projection.name, error: (error as Error).message });
    await store.dropCollection(collection).catch(() => undefined);
    await store.deleteCheckpoint(checkpoint).catch(() => undefined);
    const failed = await rebuilds.findById(projection.name).catch(() => null);
    await rebuilds
      .put({
        _id: projection.name,
        startedAt,
        position: failed?.position ?? '0',
        target: String(target),
        state: 'failed',
        error: (error as Error).message,
      })
      .catch(() => undefined);
    await setStatus('rebuild_failed', `rebuild failed: ${(error as Error).message}`).catch(() => undefined);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  await options.afterPromote?.();
}
