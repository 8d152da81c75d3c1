export const CLOCK = Symbol('Clock');

/** All time comes from here; domain code never reads the system clock. */
export interface Clock {
  now(): Date;
}
