import type { ReleaseUnits } from '../../domain/product/product.commands.js';
import { productDecider } from '../../domain/product/product.decider.js';
import type { Logger } from '../ports/logger.port.js';
import type { CommandContext } from '../shared/command-context.js';
import type { CommandPath } from '../shared/command-path.js';

/**
 * Frees an order's units on each product's stream. Releasing twice changes nothing, so the order
 * handlers release at once and the release workflow releases again from the log (a crash between
 * the order's event and the release is mended there). Answers the position of the last event it
 * appended (0n when none), so a command's answer covers the release too.
 */
export async function releaseUnits(
  deps: { path: CommandPath; logger: Logger; now: string },
  order: { orderId: string; items: ReadonlyArray<{ productId: string }> },
  reason: ReleaseUnits['data']['reason'],
  ctx: CommandContext,
): Promise<bigint> {
  let last = 0n;
  for (const line of order.items) {
    try {
      const result = await deps.path.handle(productDecider, line.productId, { type: 'ReleaseUnits', data: { orderId: order.orderId, reason, now: deps.now } }, ctx);
      if (result.events.length > 0 && result.position !== null && result.position > last) last = result.position;
    } catch (error) {
      deps.logger.warn('releasing units failed; the release workflow retries from the log', { orderId: order.orderId, productId: line.productId, error: (error as Error).message });
    }
  }
  return last;
}
