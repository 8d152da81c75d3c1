import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, type Logger } from '../../../application/ports/logger.port.js';
import { toProblem } from './problem-details.js';

/** Everything thrown inside Nest becomes an RFC 9457 problem; server faults are logged, never shown. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { problem, headers, internal } = toProblem(error);
    if (internal)
      this.logger.error('unhandled error', {
        error: (error as Error)?.message,
        stack: (error as Error)?.stack,
        requestId: request.id,
      });
    void reply
      .code(problem.status)
      .headers(headers)
      .type('application/problem+json')
      .send({ ...problem, instance: request.url });
  }
}
