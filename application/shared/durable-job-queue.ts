import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import type { EnqueueRequest, JobQueue } from '../ports/job-queue.port.js';
import { JOB_STORE, type JobStore } from '../ports/job-store.port.js';
import { JOB_HANDLERS, JOB_ID, JOB_ID_PATTERN, type JobHandler } from './job.js';

/**
 * The job queue every area enqueues on (the api's commands and the worker's handlers alike): the job
 * goes to the job store on its handler's queue, under its id, so that enqueueing twice is one job. The
 * handlers are looked up when first needed: they are the application's providers, and may themselves
 * enqueue.
 */
@Injectable()
export class DurableJobQueue implements JobQueue {
  private handlers: Map<string, JobHandler> | null = null;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly modules: ModuleRef,
  ) {}

  async enqueue(request: EnqueueRequest): Promise<{ jobId: string; created: boolean }> {
    if (!JOB_ID.test(request.id)) throw new Error(`Not a job id (${JOB_ID_PATTERN}): ${request.id.slice(0, 40)}`);
    const handler = this.handlerOf(request.type);
    const now = this.clock.now();
    const { created } = await this.store.enqueue(
      {
        id: request.id,
        type: request.type,
        queue: handler.queue,
        payload: request.payload,
        runAt: request.runAt ?? now,
      },
      now,
    );
    return { jobId: request.id, created };
  }

  private handlerOf(type: string): JobHandler {
    this.handlers ??= new Map(
      this.modules.get<JobHandler[]>(JOB_HANDLERS, { strict: false }).map((h) => [h.type, h] as const),
    );
    const handler = this.handlers.get(type);
    if (!handler) throw new Error(`No job handler for the job type ${type}`);
    return handler;
  }
}
