import type { Clock } from '../../application/ports/clock.port.js';

/** A clock the test moves: time in the app (and its worker) is whatever the test says. */
export class MutableClock implements Clock {
  private current: number;
  constructor(start: string) {
    this.current = Date.parse(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
