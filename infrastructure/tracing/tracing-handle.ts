import type { Tracer } from '@opentelemetry/api';

/** The components of Rentlog that report as services of their own (`rentlog-api`, ...). */
export type TracedComponent = 'api' | 'projector' | 'worker';

export interface Tracing {
  readonly enabled: boolean;
  /** The tracer of a component's own spans; undefined with tracing off (nothing to record). */
  tracer(component: TracedComponent): Tracer | undefined;
  /** Exports what is still buffered and stops (at the end of the process). */
  shutdown(): Promise<void>;
}
