import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IdentityDeps } from './identity-deps.js';

export interface MeView {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  customerId?: string;
}

/** The signed-in user as their stream has it (the token names the user; the stream is the truth). */
export class GetMeQuery extends Query<MeView | null> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(private readonly deps: IdentityDeps) {}

  async execute({ userId }: GetMeQuery): Promise<MeView | null> {
    const user = await this.deps.findUser(userId);
    if (!user) return null;
    return { userId: user.userId, email: user.email, name: user.name, roles: user.roles, ...(user.customerId ? { customerId: user.customerId } : {}) };
  }
}
