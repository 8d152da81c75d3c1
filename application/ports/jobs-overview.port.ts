export const JOBS_OVERVIEW = Symbol('JobsOverview');

/** Background jobs as the dashboard and `/metrics` count them; `null`: this deployment does not track them. */
export interface JobCounts {
  failed: number | null;
  pending: number | null;
}

/** What the dashboard shows of background jobs: dead jobs and pending ones, from the job store (StoreJobsOverview). */
export interface JobsOverview {
  counts(): Promise<JobCounts>;
}
