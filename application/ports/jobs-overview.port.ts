export const JOBS_OVERVIEW = Symbol('JobsOverview');

/** Background jobs as the dashboard and `/metrics` count them; `null`: this deployment does not track them. */
export interface JobCounts {
  failed: number | null;
  pending: number | null;
}

/**
 * What the dashboard shows of background jobs. The jobs framework (a job store with leases, retries
 * and a failed list) is not built yet: until it is, the adapter answers `null` for both (never a
 * made-up zero); the jobs store's adapter will implement this one method.
 */
export interface JobsOverview {
  counts(): Promise<JobCounts>;
}
