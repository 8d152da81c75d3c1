import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export interface NewApiKey {
  name: string;
  roles: string[];
  expiresAt?: string;
}

export interface CreatedApiKey {
  apiKeyId: string;
  /** The key itself: shown this once, never stored. */
  key: string;
  name: string;
  roles: string[];
  createdAt: string;
  expiresAt: string | null;
  position: bigint;
}

/** An admin creates an API key for a service; it works from the answer on, in every api process. */
export class CreateApiKeyCommand extends Command<CreatedApiKey> {
  constructor(
    readonly input: NewApiKey,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

/** An admin revokes an API key: it stops working at once. */
export class RevokeApiKeyCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly apiKeyId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
