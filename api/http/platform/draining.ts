/**
 * Whether this process is shutting down. From the stop signal on, `GET /health/ready` answers 503 while
 * every other route still answers: a load balancer (or Kubernetes' endpoints) takes the process out of
 * rotation on that 503, and only then does the listener close (SHUTDOWN_DRAIN_DELAY_MS later).
 */
export const DRAINING = Symbol('Draining');

export class Draining {
  private startedAt: string | undefined;

  /** Marks the start of the drain (idempotent: the first call's time stays). */
  begin(at: Date): void {
    this.startedAt ??= at.toISOString();
  }

  /** When the drain began, or undefined while the process serves normally. */
  get since(): string | undefined {
    return this.startedAt;
  }
}
