import type { JobCounts, JobsOverview } from '../../application/ports/jobs-overview.port.js';

/**
 * The jobs overview while jobs are run by the in-process scheduler only (no job store): it keeps no
 * failed or pending jobs anyone could count, so both are `null`. Replace it with the job store's
 * adapter once there is one.
 */
export class UntrackedJobsOverview implements JobsOverview {
  counts(): Promise<JobCounts> {
    return Promise.resolve({ failed: null, pending: null });
  }
}
