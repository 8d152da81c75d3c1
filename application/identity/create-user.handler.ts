import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreateUserCommand } from './create-user.command.js';
import { UserRegistrar } from './user-registrar.js';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(private readonly registrar: UserRegistrar) {}

  async execute({ input, ctx }: CreateUserCommand) {
    const { userId, customerId, position } = await this.registrar.register(input, ctx);
    return { userId, ...(customerId ? { customerId } : {}), position };
  }
}
