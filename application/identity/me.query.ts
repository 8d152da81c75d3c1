import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { UserDirectory } from './user-directory.js';

export interface MeView {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  customerId?: string;
  mfaEnabled: boolean;
}

/** The signed-in user as their stream has it (the token names the user; the stream is the truth). */
export class GetMeQuery extends Query<MeView> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(private readonly users: UserDirectory) {}

  async execute({ userId }: GetMeQuery): Promise<MeView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError(IdentityErrors.notFound, 'The signed-in user has no account here');
    return {
      userId: user.userId,
      email: user.email,
      name: user.name,
      roles: user.roles,
      mfaEnabled: user.mfa.status === 'on',
      ...(user.customerId ? { customerId: user.customerId } : {}),
    };
  }
}
