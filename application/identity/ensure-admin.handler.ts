import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import { UserErrors } from '../../domain/identity/user.errors.js';
import { EnsureAdminCommand } from './ensure-admin.command.js';
import { IdentityDeps } from './identity-deps.js';
import { UserRegistrar } from './user-registrar.js';

@CommandHandler(EnsureAdminCommand)
export class EnsureAdminHandler implements ICommandHandler<EnsureAdminCommand> {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly registrar: UserRegistrar,
  ) {}

  async execute({ input, ctx }: EnsureAdminCommand) {
    const existing = await this.deps.findUserByEmail(input.email);
    if (existing) return { userId: existing.userId, created: false };
    try {
      const { userId } = await this.registrar.register({ email: input.email, password: input.password, name: 'Administrator', roles: ['admin'] }, ctx);
      this.deps.logger.info('admin user created from ADMIN_EMAIL', { userId });
      return { userId, created: true };
    } catch (error) {
      // Another instance starting at the same time registered it first.
      if (error instanceof DomainError && error.code === UserErrors.emailTaken) return { userId: null, created: false };
      throw error;
    }
  }
}
