import type { CommandContext } from '../shared/command-context.js';
import type { EventSourcingDeps } from '../shared/event-sourcing.js';
import type { Logger } from '../ports/logger.port.js';
import { decideOnProduct } from '../product/product-repository.js';

/**
 * Frees an order's units on each product's stream. Releasing twice changes nothing, so the order
 * handlers call it at once and the process manager calls it again from the log (a crash between
 * the order's event and the release is mended there). Answers the position of the last event it
 * appended (0n when none), so a command's answer covers the release too.
 */
export async function releaseUnits(
  deps: EventSourcingDeps & { logger: Logger; clock: EventSourcingDeps['clock'] },
  order: { orderId: string; items: ReadonlyArray<{ productId: string }> },
  reason: 'cancelled' | 'expired' | 'returned',
  ctx: CommandContext,
): Promise<bigint> {
  const now = deps.clock.now().toISOString();
  let last = 0n;
  for (const line of order.items) {
    try {
      const result = await decideOnProduct(deps, line.productId, () => ({ type: 'ReleaseUnits', data: { orderId: order.orderId, reason, now } }), ctx);
      if (result.events.length > 0 && result.position !== null && result.position > last) last = result.position;
    } catch (error) {
      deps.logger.warn('releasing units failed; the process manager will retry from the log', { orderId: order.orderId, productId: line.productId, error: (error as Error).message });
    }
  }
  return last;
}
