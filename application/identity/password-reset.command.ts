import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** Mails a reset link when the email belongs to an account that may sign in; answers the same either way. */
export class RequestPasswordResetCommand extends Command<void> {
  constructor(
    readonly email: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

/** A new password through a mailed link: single use, expiring; every session of the user ends. */
export class ConfirmPasswordResetCommand extends Command<{ position: bigint }> {
  constructor(
    readonly token: string,
    readonly newPassword: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
