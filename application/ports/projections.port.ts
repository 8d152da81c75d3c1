export const PROJECTIONS = Symbol('Projections');

export interface ProjectionInfo {
  name: string;
  version: number;
  /** Checkpoint: global position of the last event the read model covers. */
  position: string;
  lag: { events: number; seconds: number; capped: boolean };
  status: string;
  parked: number;
  lastError?: string;
  /** The rebuild under way, or the last one if it failed (`state: 'failed'`, with its error). */
  rebuild?: { position: string; target: string; state: 'running' | 'failed'; error?: string } | null;
}

/** A read model built as it stood at a position, under its own name (`reports@1200`) beside the live one. */
export interface PointInTimeInfo {
  name: string;
  projection: string;
  atPosition: string;
  state: 'requested' | 'building' | 'ready' | 'failed';
  requestedAt: string;
  finishedAt?: string;
  error?: string;
}

/** Where a read model's documents are, live or as it stood at a position. */
export interface ReadModelLocation {
  name: string;
  collection: string;
  /** Live, or the state of a point-in-time build. */
  state: 'live' | PointInTimeInfo['state'];
  personalData: boolean;
  atPosition?: string;
}

/** What the API and workers may ask of the read side (the projector may run in another process). */
export interface Projections {
  names(): string[];
  status(options?: { lagCap?: number }): Promise<ProjectionInfo[]>;
  /**
   * Asks the projector to rebuild from position zero, or (with `atPosition`) to build the read model as
   * it stood at that position under a name of its own; answers that name. A DomainError
   * PROJECTION_NOT_FOUND when no projection has that name, POSITION_INVALID beyond the log's head.
   */
  requestRebuild(name: string, requestedBy: string, options?: { atPosition?: bigint }): Promise<{ name: string }>;
  /** Every point-in-time read model asked for, oldest first. */
  pointsInTime(): Promise<PointInTimeInfo[]>;
  /** A live read model by its name, or a point-in-time one (`reports@1200`); null when there is none. */
  locate(name: string): Promise<ReadModelLocation | null>;
  /** Events parked by every consumer (projections and workflows), by consumer. */
  parkedEvents(): Promise<{ total: number; byConsumer: Record<string, number> }>;
  /** True once every named read model has processed `position`; false after `timeoutMs`. */
  waitFor(readModels: readonly string[], position: bigint, timeoutMs: number): Promise<boolean>;
}
