import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { registerCustomer } from './register-customer.js';
import { RegisterCustomerCommand } from './register-customer.command.js';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}

  execute({ input, ctx }: RegisterCustomerCommand) {
    return registerCustomer(
      { path: this.path, index: this.index, newId: this.deps.ids.uuid(), now: this.deps.now() },
      { ...input, userId: null },
      ctx,
    );
  }
}
