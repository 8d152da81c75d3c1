import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** An admin disables a user: no more sign-ins, and its sessions and access tokens stop working at once. */
export class DisableUserCommand extends Command<{ position: bigint }> {
  constructor(
    readonly userId: string,
    readonly reason: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

/** An admin enables a disabled user again (its old sessions stay ended). */
export class EnableUserCommand extends Command<{ position: bigint }> {
  constructor(
    readonly userId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
