import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';

export { productEvolver } from './product-evolver.js';

/** What every product command handler needs, injected once. */
@Injectable()
export class ProductDeps {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(ID_GENERATOR) readonly ids: IdGenerator,
    @Inject(SETTINGS) readonly settings: Settings,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }
}
