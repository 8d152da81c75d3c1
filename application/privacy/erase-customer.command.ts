import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** GDPR erasure (Art. 17) of a customer and the user account behind it, by destroying their keys. */
export class EraseCustomerCommand extends Command<{ position: bigint }> {
  constructor(
    readonly customerId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
