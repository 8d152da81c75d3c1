import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether the reads under way may be served by a replica that is behind (a MongoDB secondary):
 * only inside `withStaleReadsAllowed`, which the HTTP layer enters for a query that carries no
 * read-your-writes position (`X-Min-Position`) and nothing else. Commands, their checks, sign-in and
 * access checks, idempotency records, projections and waited-for queries never run inside it, so
 * they read what the primary has. A read store without replicas ignores it.
 */
const scope = new AsyncLocalStorage<{ staleReadsAllowed: true }>();

export function withStaleReadsAllowed<T>(work: () => T): T {
  return scope.run({ staleReadsAllowed: true }, work);
}

export const staleReadsAllowed = (): boolean => scope.getStore()?.staleReadsAllowed === true;
