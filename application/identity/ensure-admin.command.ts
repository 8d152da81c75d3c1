import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** At start: create the admin from ADMIN_EMAIL / ADMIN_PASSWORD unless that email is registered. Idempotent. */
export class EnsureAdminCommand extends Command<{ userId: string | null; created: boolean }> {
  constructor(
    readonly input: { email: string; password: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
