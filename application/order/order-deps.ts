import { Inject, Injectable } from '@nestjs/common';
import type { OrderEvent } from '../../domain/order/order.events.js';
import { orderStream } from '../../domain/order/order.events.js';
import { evolveOrder, initialOrderState, type OrderFacts, type OrderState } from '../../domain/order/order.state.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { NotFoundError } from '../shared/application-errors.js';
import { loadStream, type Evolver, type Loaded } from '../shared/event-sourcing.js';

export const orderEvolver: Evolver<OrderState, OrderEvent> = { initialState: initialOrderState, evolve: evolveOrder };

/** What every order handler needs, injected once. */
@Injectable()
export class OrderDeps {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(ID_GENERATOR) readonly ids: IdGenerator,
    @Inject(SETTINGS) readonly settings: Settings,
    @Inject(LOGGER) readonly logger: Logger,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * The order, if the caller may see it: a caller acting as a customer (`ownerCustomerId` set)
   * gets "not found" for anyone else's order, so existence does not leak.
   */
  async loadVisible(orderId: string, ownerCustomerId: string | undefined): Promise<Loaded<OrderFacts>> {
    const loaded = await loadStream(this.store, orderStream(orderId), orderEvolver);
    if (loaded.state.status === 'none' || (ownerCustomerId !== undefined && loaded.state.customerId !== ownerCustomerId)) {
      throw new NotFoundError(`Order ${orderId}`);
    }
    return loaded as Loaded<OrderFacts>;
  }
}
