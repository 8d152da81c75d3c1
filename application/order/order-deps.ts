import { Injectable } from '@nestjs/common';
import type { OrderEvent } from '../../domain/order/order.events.js';
import { orderStream } from '../../domain/order/order.events.js';
import { evolveOrder, initialOrderState, type OrderFacts, type OrderState } from '../../domain/order/order.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { CoreDeps } from '../shared/core-deps.js';
import { loadStream, type Evolver, type Loaded } from '../shared/event-sourcing.js';

export const orderEvolver: Evolver<OrderState, OrderEvent> = { initialState: initialOrderState, evolve: evolveOrder };

/** The ports every order handler needs, and the order as a caller may see it. */
@Injectable()
export class OrderDeps extends CoreDeps {
  /**
   * The order, if the caller may see it: a caller acting as a customer (`ownerCustomerId` set)
   * gets "not found" for anyone else's order, so existence does not leak.
   */
  async loadVisible(orderId: string, ownerCustomerId: string | undefined): Promise<Loaded<OrderFacts>> {
    const loaded = await loadStream(this.store, orderStream(orderId), orderEvolver);
    if (loaded.state.status === 'none' || (ownerCustomerId !== undefined && loaded.state.customerId !== ownerCustomerId)) {
      throw new DomainError(OrderErrors.notFound, `No order ${orderId}`);
    }
    return loaded as Loaded<OrderFacts>;
  }
}
