import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegisterUserCommand } from './register-user.command.js';
import { UserRegistrar } from './user-registrar.js';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(private readonly registrar: UserRegistrar) {}

  async execute({ input, ctx }: RegisterUserCommand) {
    const { userId, customerId, position } = await this.registrar.register({ ...input, roles: ['customer'] }, ctx);
    return { userId, customerId: customerId!, position };
  }
}
