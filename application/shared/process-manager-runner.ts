import type { EventStore, RecordedEvent } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import { CheckpointConflictError, type ReadStore } from '../ports/read-store.port.js';
import { logContext } from './log-context.js';

export interface ProcessManager {
  name: string;
  handles: ReadonlySet<string>;
  /** Must be idempotent: after a crash the events since the last checkpoint are delivered again. */
  handle(event: RecordedEvent): Promise<void>;
}

/**
 * Runs a process manager over a durable subscription to the global log. The checkpoint (in the
 * read store) moves after each handled event, so at most the event in hand is delivered twice.
 * A failing event is retried with backoff and never skipped: order matters to the manager.
 */
export class ProcessManagerRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  position: bigint | null = null;
  lastError: string | null = null;

  constructor(
    private readonly manager: ProcessManager,
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly logger: Logger,
    private readonly maxBackoffMs = 30_000,
  ) {}

  get checkpoint(): string {
    return `pm:${this.manager.name}`;
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run().finally(() => (this.loop = null));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.unsubscribe?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.position = await this.store.getCheckpoint(this.checkpoint);
      const subscription = this.events.subscribeToAll({ after: this.position ?? undefined });
      this.unsubscribe = () => subscription.unsubscribe();
      try {
        for await (const event of subscription) {
          if (this.manager.handles.has(event.type)) await this.handleWithRetry(event);
          if (this.stopping) break;
          await this.store.commit({ checkpoint: this.checkpoint, expected: this.position, next: event.position, writes: [] });
          this.position = event.position;
        }
      } catch (error) {
        if (!(error instanceof CheckpointConflictError)) {
          this.logger.error('process manager stopped on an error; restarting', { manager: this.manager.name, error: (error as Error).message });
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        await subscription.unsubscribe();
      }
    }
  }

  private async handleWithRetry(event: RecordedEvent): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await logContext.run({ processManager: this.manager.name, correlationId: event.metadata.correlationId, causationId: event.id }, () => this.manager.handle(event));
        this.lastError = null;
        return;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.logger.warn('process manager failed on an event; retrying', { manager: this.manager.name, position: String(event.position), type: event.type, attempt, error: this.lastError });
        await new Promise((r) => setTimeout(r, Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(attempt, 12))));
      }
    }
  }
}
