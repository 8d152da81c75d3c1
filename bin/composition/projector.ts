import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Config } from '../../infrastructure/config/config.js';
import { allProjections } from '../../projections/index.js';
import { Projector } from '../../projections/runner/projector.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * The projector's composition, apart from the api's (processes.ts re-exports it): `start all`'s
 * projector thread (projector-thread.entry.ts) loads this and not the Nest application.
 */

/** The read models of this deployment (some depend on settings: the reports on SHOP_TIMEZONE). */
export const projectionsOf = (config: Config) => allProjections({ shopTimeZone: config.shopTimeZone });

export async function startProjector(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  tracer?: Tracer,
): Promise<Projector> {
  const projector = new Projector({
    tracer,
    projections: projectionsOf(config),
    events: infra.events,
    store: infra.store,
    logger: logger.child({ process: 'projector' }),
    clock: infra.clock,
    batchSize: config.projectionBatchSize,
    leaseMs: config.projectionLeaseMs,
  });
  await projector.start();
  return projector;
}
