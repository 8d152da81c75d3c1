import { EventEmitter } from 'node:events';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { CheckpointConflictError, type Doc, type DocWrite, type ReadStore } from '../../application/ports/read-store.port.js';
import { batches } from './batches.js';
import type { Projection } from './projection.js';

export type RunnerState = 'idle' | 'running' | 'retrying' | 'stopped';

export interface RunnerOptions {
  projection: Projection;
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  /** Where documents go (the live collection, or a rebuild's shadow). */
  collection?: string;
  checkpoint?: string;
  batchSize?: number;
  /** Called when an event cannot be applied: the runner parks it and goes on. */
  park?: (event: RecordedEvent, error: Error) => Promise<void>;
  maxBackoffMs?: number;
  /** Create the collection without its indexes (a rebuild builds them once, at the end: far cheaper than upkeep). */
  deferIndexes?: boolean;
}

/**
 * Runs one projection over the global log from its checkpoint: subscription (catch-up, then live),
 * batches, one atomic commit of documents + checkpoint per batch. Transient failures retry the same
 * batch with exponential backoff (nothing is skipped); an event the projection cannot apply is parked.
 * A checkpoint that moved under it (a rebuild was promoted, another projector) restarts it from the
 * stored checkpoint.
 */
export class ProjectionRunner extends EventEmitter {
  readonly collection: string;
  readonly checkpointName: string;
  state: RunnerState = 'idle';
  position: bigint | null = null;
  lastError: string | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private abortCurrent: (() => Promise<void>) | null = null;

  constructor(private readonly options: RunnerOptions) {
    super();
    this.collection = options.collection ?? options.projection.collection;
    this.checkpointName = options.checkpoint ?? options.projection.name;
  }

  /** Runs until stop(); with `until`, resolves once the checkpoint reaches that position. */
  start(until?: bigint): Promise<void> {
    this.stopping = false;
    this.loop ??= this.run(until).finally(() => {
      this.loop = null;
      this.state = 'stopped';
    });
    return this.loop;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.abortCurrent?.();
    await this.loop;
  }

  private async run(until?: bigint): Promise<void> {
    const { store, events, projection } = this.options;
    await store.ensureCollection({ name: this.collection, indexes: this.options.deferIndexes ? [] : projection.indexes });
    let failures = 0;
    while (!this.stopping) {
      this.position = await store.getCheckpoint(this.checkpointName);
      if (until !== undefined && (this.position ?? 0n) >= until) return;
      const subscription = events.subscribeToAll({ after: this.position ?? undefined });
      this.abortCurrent = () => subscription.unsubscribe();
      if (this.state !== 'retrying') this.setState('running', this.lastError);
      try {
        for await (const batch of batches(subscription, this.options.batchSize ?? 500)) {
          await this.commitWithRetry(batch);
          failures = 0;
          if (this.stopping || (until !== undefined && this.position! >= until)) return;
        }
      } catch (error) {
        if (error instanceof CheckpointConflictError) {
          this.options.logger.info('checkpoint moved; restarting from the stored one', { projection: this.checkpointName, error: error.message });
          continue;
        }
        failures++;
        this.fail(error, failures);
        await this.sleep(this.backoff(failures));
      } finally {
        this.abortCurrent = null;
        await subscription.unsubscribe();
      }
    }
  }

  private async commitWithRetry(batch: RecordedEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.commit(batch);
        if (this.state !== 'running') this.setState('running', null);
        return;
      } catch (error) {
        if (error instanceof CheckpointConflictError || this.stopping) throw error;
        this.fail(error, attempt);
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  private setState(state: RunnerState, lastError: string | null): void {
    const changed = state !== this.state || lastError !== this.lastError;
    this.state = state;
    this.lastError = lastError;
    if (changed) this.emit('state', state, lastError);
  }

  private async commit(batch: RecordedEvent[]): Promise<void> {
    const { projection, store } = this.options;
    const relevant = batch.filter((e) => projection.handles.has(e.type));
    const ids = [...new Set(relevant.flatMap((e) => projection.keys(e)))];
    const loaded = ids.length > 0 ? await store.collection(this.collection).findByIds(ids) : [];
    const docs = new Map<string, Doc | null>(loaded.map((d) => [d._id, d]));
    const changed = new Set<string>();
    for (const event of relevant) {
      for (const id of projection.keys(event)) {
        const current = docs.get(id) ?? null;
        if (current && BigInt(current._position as string) >= event.position) continue; // applied already
        let next: Doc | null;
        try {
          next = projection.apply(current, event, id);
        } catch (error) {
          await this.park(event, error as Error);
          continue;
        }
        if (next === current) continue;
        docs.set(id, next && { ...next, _id: id, _position: String(event.position) });
        changed.add(id);
      }
    }
    const writes: DocWrite[] = [...changed].map((id) => ({ collection: this.collection, id, doc: docs.get(id) ?? null }));
    const next = batch[batch.length - 1].position;
    await store.commit({ checkpoint: this.checkpointName, expected: this.position, next, writes });
    this.position = next;
    this.emit('checkpoint', next);
  }

  private async park(event: RecordedEvent, error: Error): Promise<void> {
    this.options.logger.error('projection cannot apply event; parked', {
      projection: this.options.projection.name,
      position: String(event.position),
      eventType: event.type,
      error: error.message,
    });
    await this.options.park?.(event, error);
  }

  private fail(error: unknown, attempt: number): void {
    this.setState('retrying', error instanceof Error ? error.message : String(error));
    this.options.logger.warn('projection batch failed; retrying', { projection: this.checkpointName, attempt, error: this.lastError });
  }

  private backoff(attempt: number): number {
    return Math.min(this.options.maxBackoffMs ?? 30_000, 50 * 2 ** Math.min(attempt, 20));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abortCurrent = async () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
