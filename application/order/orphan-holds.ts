import type { Booking } from '../../domain/product/booking.events.js';
import { orderDecider } from '../../domain/order/order.decider.js';
import { productDecider } from '../../domain/product/product.decider.js';
import type { Logger } from '../ports/logger.port.js';
import type { Doc, ReadStore } from '../ports/read-store.port.js';
import type { Clock } from '../ports/clock.port.js';
import { systemContext } from '../shared/command-context.js';
import type { CommandPath } from '../shared/command-path.js';
import { AVAILABILITY_READ_MODEL } from './order.view.js';

/**
 * Releases holds that no order ever claimed: a crash between holding units and recording the order
 * leaves them behind. They block nothing once expired (decisions ignore them), but the product's
 * stream should say they are gone. Holds of recorded orders are left to expiring those orders.
 */
export async function releaseOrphanHolds(deps: { path: CommandPath; clock: Clock; logger: Logger }, store: ReadStore): Promise<{ released: number }> {
  const now = deps.clock.now().toISOString();
  const products = await store.collection<Doc & { productId: string; bookings: Record<string, Booking> }>(AVAILABILITY_READ_MODEL).find({});
  let released = 0;
  for (const product of products) {
    for (const [orderId, booking] of Object.entries(product.bookings)) {
      if (booking.status !== 'held' || booking.holdExpiresAt > now) continue;
      if (await deps.path.exists(orderDecider, orderId)) continue;
      const result = await deps.path.handle(productDecider, product.productId, { type: 'ReleaseUnits', data: { orderId, reason: 'expired', now } }, systemContext(`orphan-hold-${orderId}`));
      if (result.events.length > 0) {
        released++;
        deps.logger.info('released a hold no order claimed', { productId: product.productId, orderId });
      }
    }
  }
  return { released };
}
