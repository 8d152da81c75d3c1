import { Inject, Injectable } from '@nestjs/common';
import { orderDecider } from '../../domain/order/order.decider.js';
import type { Booking } from '../../domain/product/booking.events.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { AVAILABILITY_READ_MODEL } from '../order/order.view.js';
import { READ_STORE, type Doc, type ReadStore } from '../ports/read-store.port.js';
import { systemContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { Schedule } from '../shared/job.js';

/**
 * Releases holds that no order ever claimed: a crash between holding units and recording the order
 * leaves them behind. They block nothing once expired (decisions ignore them), but the product's
 * stream should say they are gone. Holds of recorded orders are left to expiring those orders.
 */
@Injectable()
export class ReleaseOrphanHoldsJob implements Schedule {
  readonly name = 'release-orphan-holds';
  readonly cron = '* * * * *';
  readonly queue = 'maintenance' as const;

  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async run() {
    const now = this.deps.now();
    const products = await this.store
      .collection<Doc & { productId: string; bookings: Record<string, Booking> }>(AVAILABILITY_READ_MODEL)
      .find({});
    let released = 0;
    for (const product of products) {
      for (const [orderId, booking] of Object.entries(product.bookings)) {
        if (booking.status !== 'held' || booking.holdExpiresAt > now) continue;
        if (await this.path.exists(orderDecider, orderId)) continue;
        const result = await this.path.handle(
          productDecider,
          product.productId,
          { type: 'ReleaseUnits', data: { orderId, reason: 'expired', now } },
          systemContext(`orphan-hold-${orderId}`),
        );
        if (result.events.length > 0) {
          released++;
          this.deps.logger.info('released a hold no order claimed', { productId: product.productId, orderId });
        }
      }
    }
    return { released };
  }
}
