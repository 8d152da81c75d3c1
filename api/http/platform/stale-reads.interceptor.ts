import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { withStaleReadsAllowed } from '../../../application/shared/read-consistency.js';

/**
 * Whether a request's handler may read read models from a replica that is behind: a GET of a route
 * that declares the read models it reads (a query), sent without `X-Min-Position`. A client that
 * needs its own write sends the command's position and is served from the primary after the wait;
 * authentication and access checks run in hooks before the handler, outside this, on the primary.
 */
export function mayReadBehind(request: Pick<FastifyRequest, 'method' | 'headers' | 'routeOptions'>): boolean {
  const readModels = request.routeOptions?.config?.readModels;
  return (
    request.method === 'GET' &&
    Array.isArray(readModels) &&
    readModels.length > 0 &&
    request.headers['x-min-position'] === undefined
  );
}

/** Runs such a handler inside `withStaleReadsAllowed` (MONGODB_READ_PREFERENCE then applies to its reads). */
@Injectable()
export class StaleReadsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !mayReadBehind(context.switchToHttp().getRequest<FastifyRequest>()))
      return next.handle();
    // next.handle() binds the handler to the async context it is called in: call it inside the scope.
    return withStaleReadsAllowed(() => next.handle());
  }
}
