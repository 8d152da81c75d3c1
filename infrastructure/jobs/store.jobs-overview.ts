import type { JobStore } from '../../application/ports/job-store.port.js';
import type { JobCounts, JobsOverview } from '../../application/ports/jobs-overview.port.js';

/** The dashboard's and `/metrics`' job counts, from the job store: dead jobs, and jobs pending (due or later) in every queue. */
export class StoreJobsOverview implements JobsOverview {
  constructor(private readonly store: JobStore) {}

  async counts(): Promise<JobCounts> {
    const queues = await this.store.counts();
    return {
      failed: queues.reduce((sum, q) => sum + q.failed, 0),
      pending: queues.reduce((sum, q) => sum + q.pending, 0),
    };
  }
}
