export const JOB_QUEUE = Symbol('JobQueue');

/** A job to run: its id derives from its cause (an event id, a schedule slot), so enqueueing twice is one job. */
export interface EnqueueRequest<P = Record<string, unknown>> {
  id: string;
  type: string;
  payload: P;
  /** Not before this time (default: now). */
  runAt?: Date;
}

/** Queues durable jobs; resolves once the job is stored. `created: false`: a job with that id already existed. */
export interface JobQueue {
  enqueue(request: EnqueueRequest): Promise<{ jobId: string; created: boolean }>;
}
