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

/** What the API and workers may ask of the read side (the projector may run in another process). */
export interface Projections {
  names(): string[];
  status(options?: { lagCap?: number }): Promise<ProjectionInfo[]>;
  /** Asks the projector to rebuild from position zero; a DomainError PROJECTION_NOT_FOUND when no projection has that name. */
  requestRebuild(name: string, requestedBy: string): Promise<void>;
  /** True once every named read model has processed `position`; false after `timeoutMs`. */
  waitFor(readModels: readonly string[], position: bigint, timeoutMs: number): Promise<boolean>;
}
