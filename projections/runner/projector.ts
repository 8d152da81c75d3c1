import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { PARKED_SPEC, REQUESTS_COLLECTION, STATUS_COLLECTION, parkEvent, type StatusDoc } from './projection-status.js';
import { rebuildProjection, type RebuildProgress } from './rebuild.js';

export interface ProjectorOptions {
  projections: readonly Projection[];
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  clock: Clock;
  batchSize?: number;
  /** How often rebuild requests from other processes (the API) are looked for. */
  requestPollMs?: number;
}

/**
 * The projector process: one live runner per projection, their status documents, parked events,
 * version upgrades (a projection whose version changed is rebuilt, the old model serving meanwhile)
 * and rebuild requests left by the API.
 */
export class Projector {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly rebuilding = new Map<string, Promise<void>>();
  private requestTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: ProjectorOptions) {}

  get projections(): readonly Projection[] {
    return this.options.projections;
  }

  runner(name: string): ProjectionRunner | undefined {
    return this.runners.get(name);
  }

  async start(): Promise<void> {
    const { store } = this.options;
    await store.ensureCollection({ name: STATUS_COLLECTION });
    await store.ensureCollection(PARKED_SPEC);
    await store.ensureCollection({ name: REQUESTS_COLLECTION });
    for (const projection of this.options.projections) {
      const status = await store.collection<StatusDoc>(STATUS_COLLECTION).findById(projection.name);
      const checkpoint = await store.getCheckpoint(projection.name);
      if (status && status.version !== projection.version && checkpoint !== null) {
        this.options.logger.info('projection version changed; rebuilding', {
          projection: projection.name,
          from: status.version,
          to: projection.version,
        });
        void this.rebuild(projection.name);
      } else {
        await this.startLive(projection);
      }
    }
    this.requestTimer = setInterval(() => void this.takeRequests(), this.options.requestPollMs ?? 1000);
    this.requestTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.requestTimer) clearInterval(this.requestTimer);
    await Promise.allSettled([...this.rebuilding.values()]);
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  /** Rebuilds into a shadow collection, then swaps it in; the live model serves until then. */
  rebuild(name: string, onProgress?: (p: RebuildProgress) => void): Promise<void> {
    const projection = this.find(name);
    const existing = this.rebuilding.get(name);
    if (existing) return existing;
    const run = rebuildProjection({
      ...this.options,
      projection,
      onProgress,
      park: (e, err) => this.park(projection, e, err),
      beforePromote: async () => {
        await this.runners.get(name)?.stop();
        this.runners.delete(name);
      },
      afterPromote: async () => {
        if (!this.stopped) await this.startLive(projection);
      },
    }).finally(() => this.rebuilding.delete(name));
    this.rebuilding.set(name, run);
    return run;
  }

  /** Ready when every live runner is running (none retrying after failures). */
  health(): {
    ok: boolean;
    detail: Array<{
      name: string;
      state: string;
      position: string | null;
      lastError: string | null;
      rebuilding: boolean;
    }>;
  } {
    const detail = this.options.projections.map((p) => {
      const runner = this.runners.get(p.name);
      return {
        name: p.name,
        state: runner?.state ?? 'idle',
        position: runner?.position === null || !runner ? null : String(runner.position),
        lastError: runner?.lastError ?? null,
        rebuilding: this.rebuilding.has(p.name),
      };
    });
    return { ok: detail.every((d) => d.state === 'running' || d.rebuilding), detail };
  }

  isRebuilding(name: string): boolean {
    return this.rebuilding.has(name);
  }

  private async startLive(projection: Projection): Promise<void> {
    const runner = new ProjectionRunner({
      projection,
      events: this.options.events,
      store: this.options.store,
      logger: this.options.logger,
      batchSize: this.options.batchSize,
      park: (e, err) => this.park(projection, e, err),
    });
    this.runners.set(projection.name, runner);
    runner.on('state', (state: string, lastError: string | null) => {
      void this.writeStatus(projection, state, lastError).catch(() => undefined);
    });
    await this.writeStatus(projection, 'running', null);
    void runner
      .start()
      .catch((error: Error) =>
        this.options.logger.error('projection runner stopped', { projection: projection.name, error: error.message }),
      );
  }

  private async takeRequests(): Promise<void> {
    try {
      const requests = await this.options.store.collection(REQUESTS_COLLECTION).find({});
      for (const request of requests) {
        await this.options.store.collection(REQUESTS_COLLECTION).delete(request._id);
        if (this.options.projections.some((p) => p.name === request._id)) void this.rebuild(request._id);
      }
    } catch (error) {
      this.options.logger.warn('could not read rebuild requests', { error: (error as Error).message });
    }
  }

  private async park(projection: Projection, event: RecordedEvent, error: Error): Promise<void> {
    await parkEvent(this.options.store, projection.name, event, error, this.options.clock.now());
    await this.writeStatus(projection, 'running', `parked event at ${String(event.position)}: ${error.message}`);
  }

  private async writeStatus(projection: Projection, status: string, lastError: string | null): Promise<void> {
    await this.options.store.collection<StatusDoc>(STATUS_COLLECTION).put({
      _id: projection.name,
      version: projection.version,
      status,
      lastError,
      updatedAt: this.options.clock.now().toISOString(),
    });
  }

  private find(name: string): Projection {
    const projection = this.options.projections.find((p) => p.name === name);
    if (!projection)
      throw new Error(`No projection named ${name}; known: ${this.options.projections.map((p) => p.name).join(', ')}`);
    return projection;
  }
}
