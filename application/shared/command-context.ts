import type { Actor } from '../ports/event-store.port.js';

/** Who asks, in which conversation, on what they base it, and why; travels with every command into event metadata. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  /** The id of what caused this command (a request id, or an event id for workflows). */
  causationId: string;
  /**
   * From `If-Match`: the revision the client last saw of the resource it addressed. A handler pins it
   * on that resource's stream only (`expectedRevision` of the command path), never on the other
   * streams the command touches.
   */
  ifMatch?: bigint;
  reason?: string;
}

export const systemContext = (correlationId: string, causationId = correlationId): CommandContext => ({
  actor: { userId: 'system', role: 'system' },
  correlationId,
  causationId,
});
