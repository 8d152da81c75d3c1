import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** Logout everywhere: every session of the signed-in user ends, and every access token of it stops working. */
export class SignOutEverywhereCommand extends Command<{ position: bigint }> {
  constructor(readonly ctx: CommandContext) {
    super();
  }
}
