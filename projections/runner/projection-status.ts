import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { CollectionSpec, Doc, ReadStore } from '../../application/ports/read-store.port.js';
import type { ProjectionInfo } from '../../application/ports/projections.port.js';
import type { Projection } from './projection.js';

/** Bookkeeping collections of the projection runner, in the read store next to the documents. */
export const STATUS_COLLECTION = 'sys_projections';
export const PARKED_COLLECTION = 'sys_parked_events';
export const PARKED_SPEC: CollectionSpec = {
  name: PARKED_COLLECTION,
  indexes: [{ fields: { consumer: 1, position: 1 } }],
};

/** Keeps an event a consumer (a projection, a workflow) could not apply, with why; its status shows the count. */
export async function parkEvent(
  store: ReadStore,
  consumer: string,
  event: RecordedEvent,
  error: Error,
  now: Date,
): Promise<void> {
  await store.collection(PARKED_COLLECTION).put({
    _id: `${consumer}:${String(event.position)}`,
    consumer,
    position: String(event.position),
    eventId: event.id,
    eventType: event.type,
    streamId: event.streamId,
    error: error.message,
    parkedAt: now.toISOString(),
  });
}
export const REQUESTS_COLLECTION = 'sys_projection_requests';
/** One document per rebuild under way (written before its shadow gets a document, removed when it ends): a restart finds it and resumes. */
export const REBUILDS_COLLECTION = 'sys_rebuilds';
export const LAG_COUNT_CAP = 10_000;

export interface StatusDoc extends Doc {
  version: number;
  /** The projection's `variant` (settings its documents depend on) it was built with. */
  variant?: string | null;
  status: string;
  lastError: string | null;
  updatedAt: string;
}

export interface RebuildDoc extends Doc {
  startedAt: string;
  position: string;
  target: string;
  /** `failed`: it ended without promoting (its shadow removed); kept so the status shows why. */
  state?: 'running' | 'failed';
  error?: string;
}

export type ProjectionStatus = ProjectionInfo;

/**
 * Status as any process sees it: position from the checkpoint, lag counted on the log (capped so it
 * stays cheap), state and last error from the runner's status document.
 */
export async function readProjectionStatus(
  projections: readonly Projection[],
  store: ReadStore,
  events: EventStore,
  now: Date,
  lagCap = LAG_COUNT_CAP,
): Promise<ProjectionStatus[]> {
  const statuses = store.collection<StatusDoc>(STATUS_COLLECTION);
  const rebuilds = store.collection<RebuildDoc>(REBUILDS_COLLECTION);
  const parked = store.collection(PARKED_COLLECTION);
  return Promise.all(
    projections.map(async (p) => {
      const [doc, rebuild, checkpoint, parkedCount] = await Promise.all([
        statuses.findById(p.name),
        rebuilds.findById(p.name),
        store.getCheckpoint(p.name),
        parked.count({ consumer: p.name }),
      ]);
      const behind = await events.readAll({ after: checkpoint ?? 0n, maxCount: lagCap + 1 });
      const oldest = behind[0];
      const status: ProjectionStatus = {
        name: p.name,
        version: p.version,
        position: String(checkpoint ?? 0n),
        lag: {
          events: Math.min(behind.length, lagCap),
          seconds: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest.recordedAt)) / 1000)) : 0,
          capped: behind.length > lagCap,
        },
        status: doc?.status ?? 'not_started',
        parked: parkedCount,
        rebuild: rebuild
          ? {
              position: rebuild.position,
              target: rebuild.target,
              state: rebuild.state ?? 'running',
              ...(rebuild.error ? { error: rebuild.error } : {}),
            }
          : null,
      };
      if (doc?.lastError) status.lastError = doc.lastError;
      return status;
    }),
  );
}

/** Resolves true once every named checkpoint has reached `position`, false after `timeoutMs`. */
export async function waitForCheckpoints(
  store: ReadStore,
  names: readonly string[],
  position: bigint,
  timeoutMs: number,
  pollMs = 10,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checkpoints = await Promise.all(names.map((n) => store.getCheckpoint(n)));
    if (checkpoints.every((c) => c !== null && c >= position)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}
