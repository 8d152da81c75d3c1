import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { JOB_STORE, type JobStore } from '../ports/job-store.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { ApplicationErrors } from './application.errors.js';
import { RetryJobCommand } from './retry-job.command.js';

/** A dead job back to pending now, its attempts reset; 404 for an unknown id, 409 for a job that is not dead. */
@CommandHandler(RetryJobCommand)
export class RetryJobHandler implements ICommandHandler<RetryJobCommand> {
  constructor(
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ jobId }: RetryJobCommand): Promise<{ jobId: string; state: 'pending' }> {
    const outcome = await this.jobs.retry(jobId, this.clock.now());
    if (outcome === 'not_found') throw new DomainError(ApplicationErrors.jobNotFound, `No job ${jobId}`);
    if (outcome === 'not_dead')
      throw new DomainError(ApplicationErrors.jobNotDead, `Job ${jobId} is not dead: only a dead job can be retried`);
    this.logger.info('dead job retried', { jobId });
    return { jobId, state: 'pending' };
  }
}
