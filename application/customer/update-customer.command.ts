import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export interface UpdateCustomerInput {
  name?: string;
  phone?: string | null;
  address?: string | null;
  preferences?: { reminders?: boolean; language?: string };
}

/** Staff, or the customer itself (`ownerCustomerId`: any other customer is a 404), change the record. */
export class UpdateCustomerCommand extends Command<{ position: bigint; revision: bigint }> {
  constructor(
    readonly customerId: string,
    readonly input: UpdateCustomerInput,
    readonly ctx: CommandContext,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}
