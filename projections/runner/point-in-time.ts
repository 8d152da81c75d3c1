import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Doc, ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** One document per read model built as it stood at a position: asked for, building, ready or failed. */
export const POINT_IN_TIME_COLLECTION = 'sys_point_in_time';

export interface PointInTimeDoc extends Doc {
  /** `<projection>@<position>`: its name beside the live one, and its checkpoint's. */
  _id: string;
  projection: string;
  atPosition: string;
  collection: string;
  state: 'requested' | 'building' | 'ready' | 'failed';
  requestedBy: string;
  requestedAt: string;
  finishedAt?: string;
  error?: string;
}

export const pointInTimeName = (projection: string, position: bigint | string): string =>
  `${projection}@${String(position)}`;
/** Collection names are `[A-Za-z][A-Za-z0-9_]*` in both read stores. */
export const pointInTimeCollection = (collection: string, position: bigint | string): string =>
  `${collection}__at_${String(position)}`;

export interface PointInTimeOptions {
  projections: readonly Projection[];
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  clock: Clock;
  batchSize?: number;
  pollMs?: number;
  /** Keeps an event that cannot be applied, under the point-in-time model's own name. */
  park?: (consumer: string, event: RecordedEvent, error: Error) => Promise<void>;
}

/**
 * Builds read models as they stood at a position of the log, each under a name of its own
 * (`reports@1200`, in `reports__at_1200`) beside the live one, which is left alone: the projection
 * replays from position zero and applies nothing after the position. Requests are documents (the api
 * may run in another process); one is built at a time, and one a stop interrupted goes on from its
 * checkpoint at the next start. A built model is frozen: nothing moves it afterwards.
 */
export class PointInTimeBuilder {
  private timer: NodeJS.Timeout | null = null;
  private current: ProjectionRunner | null = null;
  private busy: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: PointInTimeOptions) {}

  async start(): Promise<void> {
    await this.options.store.ensureCollection({ name: POINT_IN_TIME_COLLECTION, indexes: [{ fields: { state: 1 } }] });
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 1000);
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.current?.stop();
    await this.busy;
  }

  /** Builds every model asked for (or interrupted) now; resolves when none is left. */
  poll(): Promise<void> {
    this.busy ??= this.buildPending().finally(() => {
      this.busy = null;
    });
    return this.busy;
  }

  private async buildPending(): Promise<void> {
    const docs = this.options.store.collection<PointInTimeDoc>(POINT_IN_TIME_COLLECTION);
    try {
      for (;;) {
        if (this.stopped) return;
        const [next] = await docs.find(
          { state: { $in: ['requested', 'building'] } },
          { sort: { requestedAt: 1 }, limit: 1 },
        );
        if (!next) return;
        await this.build(next);
      }
    } catch (error) {
      this.options.logger.warn('could not build point-in-time read models', { error: (error as Error).message });
    }
  }

  private async build(doc: PointInTimeDoc): Promise<void> {
    const { store, logger, clock } = this.options;
    const docs = store.collection<PointInTimeDoc>(POINT_IN_TIME_COLLECTION);
    const projection = this.options.projections.find((p) => p.name === doc.projection);
    if (!projection) {
      await docs.put({
        ...doc,
        state: 'failed',
        error: `no projection named ${doc.projection}`,
        finishedAt: clock.now().toISOString(),
      });
      return;
    }
    await docs.put({ ...doc, state: 'building' });
    const upTo = BigInt(doc.atPosition);
    const runner = new ProjectionRunner({
      projection,
      events: this.options.events,
      store,
      logger,
      collection: doc.collection,
      checkpoint: doc._id,
      batchSize: this.options.batchSize ?? 2000,
      upTo,
      park: (event, error) => this.options.park?.(doc._id, event, error) ?? Promise.resolve(),
    });
    this.current = runner;
    logger.info('point-in-time build started', { readModel: doc._id });
    try {
      await runner.start(upTo);
      if (this.stopped) return; // interrupted: goes on from its checkpoint at the next start
      if (runner.state === 'failed') throw new Error(runner.lastError ?? 'the runner failed');
      await docs.put({ ...doc, state: 'ready', finishedAt: clock.now().toISOString() });
      logger.info('point-in-time build ready', { readModel: doc._id });
    } catch (error) {
      logger.error('point-in-time build failed', { readModel: doc._id, error: (error as Error).message });
      await docs.put({
        ...doc,
        state: 'failed',
        error: (error as Error).message,
        finishedAt: clock.now().toISOString(),
      });
    } finally {
      this.current = null;
    }
  }
}
