import { Command } from '@nestjs/cqrs';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export interface RegisterProductInput {
  sku: string;
  name: string;
  category: string;
  dailyRate: Money;
  deposit: Money;
  stock: number;
  bufferDays?: number;
}

export class RegisterProductCommand extends Command<{ productId: string; position: bigint; revision: bigint }> {
  constructor(
    readonly input: RegisterProductInput,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
