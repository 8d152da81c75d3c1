import type { Tracer } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import {
  PARKED_SPEC,
  REBUILDS_COLLECTION,
  REQUESTS_COLLECTION,
  STATUS_COLLECTION,
  parkEvent,
  type RebuildDoc,
  type StatusDoc,
} from './projection-status.js';
import { LeaseKeeper } from './lease-keeper.js';
import { PointInTimeBuilder } from './point-in-time.js';
import { RebuildInterrupted, rebuildProjection, type RebuildProgress } from './rebuild.js';

export interface ProjectorOptions {
  projections: readonly Projection[];
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  clock: Clock;
  batchSize?: number;
  /** How often rebuild requests from other processes (the API) are looked for. */
  requestPollMs?: number;
  /** Tracing on: the live runners' spans (rebuilds make none). */
  tracer?: Tracer;
  /** Each projection runs under a lease (PROJECTION_LEASE_SECONDS); another projector takes it over this long after a death. */
  leaseMs?: number;
  /** This process in the leases (a fresh id every start); default host, pid and a random part. */
  holder?: string;
}

export const DEFAULT_PROJECTION_LEASE_MS = 15_000;

const newHolder = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * The projector process: one live runner per projection, their status documents, parked events,
 * version upgrades (a projection whose version changed is rebuilt, the old model serving meanwhile)
 * and rebuild requests left by the API. A request is removed only once its rebuild is recorded, and a
 * rebuild a crash or a stop interrupted is resumed at the next start.
 *
 * Several projectors may share the stores: each projection runs in the one projector that holds its
 * lease (LeaseKeeper: a fair share each, a dead one's taken over within the expiry), and every batch
 * its runner or its rebuild commits carries the lease's token, so a projector that lost a lease while
 * paused commits nothing more for it. Rebuild requests are taken by the holder of the projection.
 */
export class Projector {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly rebuilding = new Map<string, Promise<void>>();
  private requestTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly stopping = new AbortController();
  private readonly rebuildAborts = new Map<string, AbortController>();
  private readonly keeper: LeaseKeeper;
  /** Read models as they stood at a position (`POST /v1/projections/{name}/rebuild` with `atPosition`). */
  readonly pointInTime: PointInTimeBuilder;

  constructor(private readonly options: ProjectorOptions) {
    this.pointInTime = new PointInTimeBuilder({
      ...options,
      pollMs: options.requestPollMs,
      park: (consumer, event, error) => parkEvent(options.store, consumer, event, error, options.clock.now()),
    });
    this.keeper = new LeaseKeeper({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      kind: 'projection',
      units: options.projections.map((p) => p.name),
      holder: options.holder ?? newHolder(),
      ttlMs: options.leaseMs ?? DEFAULT_PROJECTION_LEASE_MS,
      onAcquired: (name) => this.activate(this.find(name)),
      onLost: (name) => this.deactivate(name),
    });
  }

  /** The projection leases this projector holds now. */
  leases(): ReturnType<LeaseKeeper['leases']> {
    return this.keeper.leases();
  }

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
    await store.ensureCollection({ name: REBUILDS_COLLECTION });
    await this.keeper.start(); // the projections whose leases it takes start here
    this.requestTimer = setInterval(() => void this.takeRequests(), this.options.requestPollMs ?? 1000);
    this.requestTimer.unref();
    await this.pointInTime.start();
  }

  /** Stops the runners; a rebuild under way is interrupted, and resumes at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.requestTimer) clearInterval(this.requestTimer);
    this.stopping.abort();
    await this.pointInTime.stop();
    await Promise.allSettled([...this.rebuilding.values()]);
    await this.keeper.stop();
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  /** Rebuilds into a shadow collection, then swaps it in; the live model serves until then. */
  rebuild(
    name: string,
    onProgress?: (p: RebuildProgress) => void,
    more: { resume?: boolean; onStarted?: () => Promise<void> } = {},
  ): Promise<void> {
    const projection = this.find(name);
    const existing = this.rebuilding.get(name);
    if (existing) return existing.then(() => more.onStarted?.());
    const abort = new AbortController();
    this.rebuildAborts.set(name, abort);
    const run = rebuildProjection({
      ...this.options,
      projection,
      lease: () => this.keeper.token(name),
      onProgress,
      resume: more.resume,
      onStarted: more.onStarted,
      signal: AbortSignal.any([this.stopping.signal, abort.signal]),
      park: (e, err) => this.park(projection, e, err),
      beforePromote: async () => {
        if (!this.keeper.owns(name)) throw new Error(`Lease of ${name} lost; not promoting`);
        await this.runners.get(name)?.stop();
        this.runners.delete(name);
      },
      afterPromote: async () => {
        if (!this.stopped && this.keeper.owns(name)) await this.startLive(projection);
      },
    })
      .catch(async (error: unknown) => {
        if (error instanceof RebuildInterrupted) return;
        // Failed (and reported so): the live model serves on, followed again if the rebuild had stopped it.
        if (!this.stopped && this.keeper.owns(name) && !this.runners.has(name))
          await this.startLive(projection).catch(() => undefined);
        throw error;
      })
      .finally(() => {
        this.rebuilding.delete(name);
        this.rebuildAborts.delete(name);
      });
    this.rebuilding.set(name, run);
    return run;
  }

  /** Ready when every live runner it holds is running (none retrying after failures). */
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
        // standby: another projector holds its lease
        state:
          runner?.state ??
          (this.stopped ? 'stopped' : this.keeper.holds(p.name) || this.rebuilding.has(p.name) ? 'idle' : 'standby'),
        position: runner?.position === null || !runner ? null : String(runner.position),
        lastError: runner?.lastError ?? null,
        rebuilding: this.rebuilding.has(p.name),
      };
    });
    return { ok: detail.every((d) => d.state === 'running' || d.state === 'standby' || d.rebuilding), detail };
  }

  isRebuilding(name: string): boolean {
    return this.rebuilding.has(name);
  }

  /** This projector took the projection's lease: its live runner (or its rebuild, after a version change) starts. */
  private async activate(projection: Projection): Promise<void> {
    const { store } = this.options;
    const status = await store.collection<StatusDoc>(STATUS_COLLECTION).findById(projection.name);
    const checkpoint = await store.getCheckpoint(projection.name);
    const marker = await store.collection<RebuildDoc>(REBUILDS_COLLECTION).findById(projection.name);
    const interrupted = marker && marker.state !== 'failed' ? marker : null;
    const versionChanged =
      status !== null &&
      checkpoint !== null &&
      (status.version !== projection.version || (status.variant ?? null) !== (projection.variant ?? null));
    if (versionChanged) {
      this.options.logger.info('projection version changed; rebuilding', {
        projection: projection.name,
        from: status.version,
        to: projection.version,
      });
    } else {
      await this.startLive(projection);
    }
    if (interrupted) {
      this.options.logger.info('resuming an interrupted rebuild', {
        projection: projection.name,
        position: interrupted.position,
      });
    }
    if (versionChanged || interrupted)
      void this.rebuild(projection.name, undefined, { resume: interrupted !== null }).catch((error: Error) =>
        this.options.logger.error('rebuild failed', { projection: projection.name, error: error.message }),
      );
  }

  /** The lease was lost or given up: its rebuild is interrupted (resumed by the next holder) and its runner stopped. */
  private async deactivate(name: string): Promise<void> {
    this.rebuildAborts.get(name)?.abort();
    await this.rebuilding.get(name)?.catch(() => undefined);
    const runner = this.runners.get(name);
    this.runners.delete(name);
    runner?.removeAllListeners('state'); // the status document is the new holder's now
    await runner?.stop();
  }

  private async startLive(projection: Projection): Promise<void> {
    if (this.runners.has(projection.name)) return;
    const runner = new ProjectionRunner({
      projection,
      events: this.options.events,
      store: this.options.store,
      logger: this.options.logger,
      batchSize: this.options.batchSize,
      tracer: this.options.tracer,
      park: (e, err) => this.park(projection, e, err),
      lease: () => this.keeper.token(projection.name),
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
      const requests = this.options.store.collection(REQUESTS_COLLECTION);
      for (const request of await requests.find({})) {
        if (!this.options.projections.some((p) => p.name === request._id)) {
          await requests.delete(request._id);
          continue;
        }
        if (!this.keeper.holds(request._id)) continue; // the projector holding its lease takes it
        if (this.rebuilding.has(request._id)) {
          await requests.delete(request._id); // the rebuild under way (recorded already) answers it
          continue;
        }
        // The request goes once its rebuild is recorded: a crash before that finds the request again.
        void this.rebuild(request._id, undefined, { onStarted: () => requests.delete(request._id) }).catch(
          (error: Error) =>
            this.options.logger.error('rebuild failed', { projection: request._id, error: error.message }),
        );
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
      variant: projection.variant ?? null,
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
