import type { Command } from '@nestjs/cqrs';
import type { Recorded } from '../ports/event-store.port.js';

/**
 * A process manager as a decider (Emmett's `Workflow`): input events in, commands out. The durable
 * subscriber feeds it from the global log, keeps each instance's state (folded with `evolve`) with its
 * checkpoint, and sends the commands through the command bus. Commands must be idempotent: after a
 * crash, the events since the last checkpoint are delivered again.
 */
export interface Workflow<E extends { type: string; data: unknown }, S> {
  /** Its checkpoint and state documents are named after it. */
  name: string;
  /** The input event types (the domain's lists). */
  inputs: readonly E['type'][];
  /** The instance an event belongs to (a payment id, an order id). */
  instanceOf(event: Recorded<E>): string;
  initialState(): S;
  evolve(state: S, event: Recorded<E>): S;
  /** The commands for an input, given the instance's state with that input folded in. */
  decide(event: Recorded<E>, state: S): Command<unknown>[];
}
