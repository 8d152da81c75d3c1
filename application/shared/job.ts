/** The worker's scheduled jobs: each lives beside its area, and the worker runs them on their interval. */
export const JOBS = Symbol('Jobs');

export interface Job {
  readonly name: string;
  readonly everyMs: number;
  /** One run; what it answers is logged with the run. */
  run(): Promise<unknown>;
}
