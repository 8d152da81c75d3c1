import { Command } from '@nestjs/cqrs';

/** An operator's retry of a dead job: it runs again from its first attempt. */
export class RetryJobCommand extends Command<{ jobId: string; state: 'pending' }> {
  constructor(readonly jobId: string) {
    super();
  }
}
