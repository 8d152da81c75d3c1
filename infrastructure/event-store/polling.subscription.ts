/**
 * A catch-up-then-live subscription over a log that can be read in pages by position.
 * Live delivery: woken by a local notifier (in-process commits) and by a poll timer (commits by
 * other processes). The last delivered position is the only cursor, so the switch from catch-up
 * to live can neither skip nor repeat an event.
 */
import type { EventEmitter } from 'node:events';
import type { RecordedEvent, Subscription } from '../../application/ports/event-store.port.js';

export interface PollingSource {
  /** Events strictly after `after`, ascending, at most `limit`. */
  readPage(after: bigint, limit: number): RecordedEvent[];
  /** Emits `eventName` after each local commit. */
  notifier: EventEmitter;
  eventName: string;
  pollIntervalMs: number;
  isTransientError(error: unknown): boolean;
  onEnd(subscription: PollingSubscription): void;
}

const PAGE_SIZE = 500;

export class PollingSubscription implements Subscription {
  private last: bigint;
  private ended = false;
  private started = false;
  private wake: (() => void) | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly onNotify = (): void => this.signal();

  constructor(
    private readonly source: PollingSource,
    after: bigint,
  ) {
    this.last = after;
    source.notifier.on(source.eventName, this.onNotify);
    this.timer = setInterval(this.onNotify, source.pollIntervalMs);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.run();
  }

  async unsubscribe(): Promise<void> {
    this.end();
  }

  /** Ends the subscription: a pending `next()` resolves `done`. Idempotent. */
  end(): void {
    if (!this.ended) {
      this.ended = true;
      this.source.notifier.off(this.source.eventName, this.onNotify);
      clearInterval(this.timer);
      this.source.onEnd(this);
    }
    this.signal();
  }

  private async *run(): AsyncGenerator<RecordedEvent, void, undefined> {
    try {
      while (!this.ended) {
        let page: RecordedEvent[];
        try {
          page = this.source.readPage(this.last, PAGE_SIZE);
        } catch (error) {
          if (!this.source.isTransientError(error)) throw error;
          page = [];
        }
        if (page.length === 0) {
          // Nothing can commit locally between the read above and this line (same tick).
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          continue;
        }
        for (const event of page) {
          if (this.ended) return;
          if (event.position <= this.last) continue;
          this.last = event.position;
          yield event;
        }
      }
    } finally {
      this.end();
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
