import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import { JOB_ID_PATTERN } from '../../../application/shared/job.js';
import { GetJobsQuery } from '../../../application/shared/jobs.query.js';
import { RetryJobCommand } from '../../../application/shared/retry-job.command.js';
import { problems } from './common.schemas.js';

const admins = { access: ['admin'] as const };
const nullableString = { type: ['string', 'null'] } as const;
const counts = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    pending: { type: 'integer' },
    running: { type: 'integer' },
    failed: { type: 'integer' },
  },
} as const;

const jobsSchema = {
  type: 'object',
  properties: {
    queues: { type: 'array', items: counts },
    schedules: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          cron: { type: 'string' },
          queue: { type: 'string' },
          enabled: { type: 'boolean' },
          lastRunAt: nullableString,
          lastStatus: nullableString,
          nextRunAt: nullableString,
        },
      },
    },
    workers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { workerId: { type: 'string' }, host: { type: 'string' }, lastHeartbeatAt: { type: 'string' } },
      },
    },
    failed: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          jobId: { type: 'string' },
          type: { type: 'string' },
          queue: { type: 'string' },
          attempts: { type: 'integer' },
          lastError: nullableString,
          failedAt: nullableString,
        },
      },
    },
  },
} as const;

/** The background work: queues, schedules, workers, dead jobs; and an operator's retry of a dead job. */
@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @RouteConfig(admins)
  @RouteSchema({
    tags: ['operations'],
    summary:
      "Every queue's pending, running and dead jobs, every schedule's last and next slot, the live workers, and the dead jobs with their last error",
    response: { 200: jobsSchema },
  })
  list() {
    return this.queries.execute(new GetJobsQuery());
  }

  @Post(':id/retry')
  @RouteConfig(admins)
  @HttpCode(202)
  @RouteSchema({
    tags: ['operations'],
    summary: 'Run a dead job again from its first attempt (404 JOB_NOT_FOUND; 409 JOB_NOT_DEAD when it is not dead)',
    params: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string', pattern: JOB_ID_PATTERN } },
    },
    response: {
      202: { type: 'object', properties: { jobId: { type: 'string' }, state: { type: 'string' } } },
      ...problems(400, 404, 409),
    },
  })
  retry(@Param('id') id: string) {
    return this.commands.execute(new RetryJobCommand(id));
  }
}
