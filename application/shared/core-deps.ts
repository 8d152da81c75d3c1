import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';

/** The ports most handlers read besides the command path: time, ids, settings, the log. Injected once for every area. */
@Injectable()
export class CoreDeps {
  constructor(
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(ID_GENERATOR) readonly ids: IdGenerator,
    @Inject(SETTINGS) readonly settings: Settings,
    @Inject(LOGGER) readonly logger: Logger,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }
}
