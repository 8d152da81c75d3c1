import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import type { EventSourcingDeps } from './event-sourcing.js';

/** What command handlers need to decide and append: the ports, injected once (and shared by every area). */
@Injectable()
export class CoreDeps implements EventSourcingDeps {
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
}
