import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** The minute of a use, `YYYY-MM-DDTHH:MM` (UTC): a key's uses in one minute are one record. */
export const useMinute = (at: Date): string => at.toISOString().slice(0, 16);

export interface ApiKeyUse {
  apiKeyId: string;
  /** When it was used; recorded to the minute. */
  at: Date;
  ipAddress: string | null;
  userAgent: string | null;
}

/** Record that an API key was used (a security event): at most once a key a minute, across api processes. */
export class RecordApiKeyUseCommand extends Command<{ recorded: boolean }> {
  constructor(
    readonly use: ApiKeyUse,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
