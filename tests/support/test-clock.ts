import type { Clock } from '../../application/ports/clock.port.js';

/** A clock the test moves: time in the app (and its worker) is whatever the test says. */
export class TestClock implements Clock {
  private current: number;
  constructor(startIso: string) {
    this.current = Date.parse(startIso);
    if (Number.isNaN(this.current)) throw new Error(`TestClock: not a date: ${startIso}`);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    const next = Date.parse(iso);
    if (Number.isNaN(next)) throw new Error(`TestClock: not a date: ${iso}`);
    this.current = next;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
