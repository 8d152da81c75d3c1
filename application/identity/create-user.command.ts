import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import type { NewUser } from './registration.service.js';

/** An admin creates a user with any roles (a customer-role user also gets a customer record). */
export class CreateUserCommand extends Command<{ userId: string; customerId?: string; position: bigint }> {
  constructor(
    readonly input: NewUser,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
