import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export interface RegisterCustomerInput {
  name: string;
  email: string;
  phone?: string;
  address?: string;
}

/** Staff register a customer (one without a user account). */
export class RegisterCustomerCommand extends Command<{ customerId: string; position: bigint; revision: bigint }> {
  constructor(
    readonly input: RegisterCustomerInput,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
