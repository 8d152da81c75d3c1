import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** Public self-registration: a user with the customer role, and its customer record. */
export class RegisterUserCommand extends Command<{ userId: string; customerId: string; position: bigint }> {
  constructor(
    readonly input: { email: string; password: string; name: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
