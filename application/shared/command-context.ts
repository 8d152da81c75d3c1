import type { Actor } from '../ports/event-store.port.js';

/** Who asks, in which conversation, and on what they base it; travels with every command into event metadata. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  /** The id of what caused this command (a request id, or an event id for process managers). */
  causationId: string;
  /** From `If-Match`: the stream revision the client last saw. */
  expectedRevision?: bigint;
  reason?: string;
}

export const systemContext = (correlationId: string, causationId = correlationId): CommandContext => ({
  actor: { userId: 'system', role: 'system' },
  correlationId,
  causationId,
});
