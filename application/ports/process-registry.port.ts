export const PROCESS_REGISTRY = Symbol('ProcessRegistry');

export type ProcessComponent = 'api' | 'projector' | 'worker';

/** One running Rentlog process, as it names itself in what it leaves behind (idempotency records). */
export interface ProcessRef {
  /** A fresh id every start. */
  id: string;
  host: string;
  pid: number;
}

/** What a process's last heartbeat said. */
export interface ProcessBeat extends ProcessRef {
  components: ProcessComponent[];
  startedAt: string;
  heartbeatAt: string;
  /** Set by a clean stop. */
  stoppedAt?: string;
  /** Per component: whether it is working (a projector with a failed runner is not), and why not. */
  health: Partial<Record<ProcessComponent, { ok: boolean; detail?: string }>>;
}

/**
 * The processes of a deployment, by their heartbeats in the read store (every api, projector and
 * worker writes one every few seconds). Readiness asks whether a projector and a worker are alive
 * and working; the idempotency hook asks whether the process that left a `pending` record is.
 */
export interface ProcessRegistry {
  readonly self: ProcessRef;
  /** A heartbeat older than this is a dead process. */
  readonly staleAfterMs: number;
  /** False when the process is gone: it stopped, its heartbeat is stale, or (same host) its pid is gone or reused. */
  isAlive(ref: ProcessRef): Promise<boolean>;
  /** The latest heartbeats, newest first (stopped processes excluded). */
  beats(): Promise<ProcessBeat[]>;
}
