import type { Logger } from '../ports/logger.port.js';
import type { Projections } from '../ports/projections.port.js';
import { ACCESS_READ_MODEL } from './access.view.js';

/**
 * Waits (bounded) until the access read model has a command's position, so that what the command
 * changed about who may act (a new session, an ended one, a disabled user) holds from the next request
 * on, in every api process. A projector that is down or far behind is logged; the command stands.
 */
export async function accessApplied(
  projections: Projections,
  position: bigint | null,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  if (position === null) return;
  if (!(await projections.waitFor([ACCESS_READ_MODEL], position, timeoutMs))) {
    logger.warn('the access read model is behind: the change holds once it catches up', { position: String(position) });
  }
}
