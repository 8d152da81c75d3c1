import type { Clock } from '../../application/ports/clock.port.js';

/**
 * The system clock shifted by a fixed offset (CLOCK_OFFSET_SECONDS): for demos and end-to-end tests
 * that need days to pass, without touching the machine's clock.
 */
export class OffsetClock implements Clock {
  constructor(private readonly offsetMs: number) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}
