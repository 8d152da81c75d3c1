import { Command } from '@nestjs/cqrs';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';

export interface ProductCommandResult {
  position: bigint;
  revision: bigint;
}

export class RepriceProductCommand extends Command<ProductCommandResult> {
  constructor(
    readonly productId: string,
    readonly input: { dailyRate: Money; deposit?: Money },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

export class AdjustStockCommand extends Command<ProductCommandResult & { stock: number }> {
  constructor(
    readonly productId: string,
    readonly input: { delta: number; reason: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

export class RetireProductCommand extends Command<ProductCommandResult> {
  constructor(
    readonly productId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
