import { EventEmitter } from 'node:events';
import type { Tracer } from '@opentelemetry/api';
import { InvalidPositionError, type EventStore, type RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { LeaseLostError, type LeaseToken } from '../../application/ports/lease-store.port.js';
import { CheckpointConflictError, type DocWrite, type ReadStore } from '../../application/ports/read-store.port.js';
import { batches } from './batches.js';
import { startEventSpans, untraced, type InEventSpan } from './event-spans.js';

/** `failed`: stopped for good, its checkpoint is not a position of this log (another store's?); an operator must look. */
export type SubscriberState = 'idle' | 'running' | 'retrying' | 'stopped' | 'failed';

/**
 * What a consumer of the log does with one batch: the document writes to commit with the checkpoint.
 * `within` runs work for one event inside that event's span (tracing on). `redelivered`: the batch may
 * have been handled before without its checkpoint being committed (the first batch after a start,
 * since the process before may have died in it, and every retry of a failed one), so effects it
 * caused outside the read store (commands) may already be there.
 */
export type BatchHandler = (
  batch: RecordedEvent[],
  park: (event: RecordedEvent, error: Error) => Promise<void>,
  within: InEventSpan,
  redelivered: boolean,
) => Promise<DocWrite[]>;

export interface SubscriberOptions {
  /** The checkpoint's name in the read store. */
  checkpoint: string;
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  handle: BatchHandler;
  batchSize?: number;
  /** Called for an event the consumer cannot apply: it is parked and the consumer goes on. */
  park?: (event: RecordedEvent, error: Error) => Promise<void>;
  maxBackoffMs?: number;
  /** Runs before the first batch (create collections, say). */
  prepare?: () => Promise<void>;
  /** The event types the consumer applies: only theirs are decrypted (SubscribeOptions.types). */
  types?: ReadonlySet<string>;
  /** Given (tracing on, a live consumer): a span per applied event that carries a trace (event-spans.ts). */
  tracer?: Tracer;
  /**
   * The lease this consumer runs under (another process may take it over): every commit carries its
   * token and is refused (LeaseLostError) once the lease is another's; the subscriber then stops.
   */
  lease?: () => LeaseToken | null;
}

/**
 * The one durable subscriber loop, shared by the projection runner and the workflows: subscription to
 * the global log from the stored checkpoint (catch-up, then live), batches, and one atomic commit of
 * the consumer's document writes with the moved checkpoint. A failing batch is retried with
 * exponential backoff (nothing is skipped); an event the consumer cannot apply is parked; a checkpoint
 * that moved under it (a rebuild was promoted, another process) restarts it from the stored one, and
 * a checkpoint the log refuses (InvalidPositionError: not one of its positions) stops it as `failed`
 * instead of retrying for ever; a commit refused for a lost lease (LeaseLostError) stops it (start()
 * rejects with it). Emits `state` (state, lastError) and `checkpoint` (position).
 */
export class DurableSubscriber extends EventEmitter {
  state: SubscriberState = 'idle';
  position: bigint | null = null;
  lastError: string | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private abortCurrent: (() => Promise<void>) | null = null;
  /** No batch committed since the start, or the last one failed: the next batch may be a redelivery. */
  private uncertain = true;

  constructor(private readonly options: SubscriberOptions) {
    super();
  }

  get checkpoint(): string {
    return this.options.checkpoint;
  }

  /** Runs until stop(); with `until`, resolves once the checkpoint reaches that position. */
  start(until?: bigint): Promise<void> {
    this.stopping = false;
    this.loop ??= this.run(until).finally(() => {
      this.loop = null;
      if (this.state !== 'failed') this.state = 'stopped';
    });
    return this.loop;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.abortCurrent?.();
    await this.loop;
  }

  private async run(until?: bigint): Promise<void> {
    const { store, events } = this.options;
    this.uncertain = true;
    await this.options.prepare?.();
    let failures = 0;
    while (!this.stopping) {
      this.position = await store.getCheckpoint(this.checkpoint);
      if (until !== undefined && (this.position ?? 0n) >= until) return;
      const subscription = events.subscribeToAll({ after: this.position ?? undefined, types: this.options.types });
      this.abortCurrent = () => subscription.unsubscribe();
      if (this.state !== 'retrying') this.setState('running', this.lastError);
      try {
        for await (const batch of batches(subscription, this.options.batchSize ?? 500)) {
          await this.commitWithRetry(batch);
          failures = 0;
          if (this.stopping || (until !== undefined && this.position! >= until)) return;
        }
      } catch (error) {
        if (error instanceof InvalidPositionError) {
          const message = `checkpoint ${String(error.position)} is not a position of this event log (was the event store replaced?); stopped`;
          this.options.logger.error('subscriber stopped: its checkpoint is not in the log', {
            checkpoint: this.checkpoint,
            position: String(error.position),
          });
          this.setState('failed', message);
          return;
        }
        if (error instanceof LeaseLostError) {
          this.options.logger.warn('subscriber stopped: its lease is held by another process', {
            checkpoint: this.checkpoint,
            error: error.message,
          });
          throw error;
        }
        if (error instanceof CheckpointConflictError) {
          this.options.logger.info('checkpoint moved; restarting from the stored one', {
            checkpoint: this.checkpoint,
            error: error.message,
          });
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
    const { tracer, types } = this.options;
    const spans = tracer ? startEventSpans(tracer, this.checkpoint, batch, types) : undefined;
    try {
      await this.commitAttempts(batch, spans?.within ?? untraced, (error) => spans?.attemptFailed(error));
    } catch (error) {
      spans?.end(error);
      throw error;
    }
    spans?.end();
  }

  private async commitAttempts(
    batch: RecordedEvent[],
    within: InEventSpan,
    attemptFailed: (error: unknown) => void,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const redelivered = this.uncertain || attempt > 1;
        const writes = await this.options.handle(batch, (event, error) => this.park(event, error), within, redelivered);
        const next = batch[batch.length - 1].position;
        const lease = this.options.lease?.() ?? undefined;
        await this.options.store.commit({ checkpoint: this.checkpoint, expected: this.position, next, writes, lease });
        this.uncertain = false;
        this.position = next;
        this.emit('checkpoint', next);
        if (this.state !== 'running') this.setState('running', null);
        return;
      } catch (error) {
        this.uncertain = true;
        if (error instanceof CheckpointConflictError || error instanceof LeaseLostError || this.stopping) throw error;
        attemptFailed(error);
        this.fail(error, attempt);
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  private async park(event: RecordedEvent, error: Error): Promise<void> {
    this.options.logger.error('cannot apply event; parked', {
      checkpoint: this.checkpoint,
      position: String(event.position),
      eventType: event.type,
      error: error.message,
    });
    await this.options.park?.(event, error);
  }

  private setState(state: SubscriberState, lastError: string | null): void {
    const changed = state !== this.state || lastError !== this.lastError;
    this.state = state;
    this.lastError = lastError;
    if (changed) this.emit('state', state, lastError);
  }

  private fail(error: unknown, attempt: number): void {
    this.setState('retrying', error instanceof Error ? error.message : String(error));
    this.options.logger.warn('batch failed; retrying', { checkpoint: this.checkpoint, attempt, error: this.lastError });
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
