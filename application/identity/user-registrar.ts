import { Injectable } from '@nestjs/common';
import { assertPasswordPolicy } from '../../domain/identity/password-policy.js';
import { decideUserEmailClaim, normaliseEmail, userEmailStream } from '../../domain/identity/user-email.js';
import type { RegisterUser } from '../../domain/identity/user.commands.js';
import { decideUser } from '../../domain/identity/user.decide.js';
import { userStream } from '../../domain/identity/user.events.js';
import { initialUserState } from '../../domain/identity/user.state.js';
import { registerCustomer } from '../customer/customer-deps.js';
import type { Role } from '../ports/tokens.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, loadStream } from '../shared/event-sourcing.js';
import { IdentityDeps, userEmailEvolver, userEvolver } from './identity-deps.js';
import { Passwords } from './passwords.js';

export interface NewUser {
  email: string;
  password: string;
  name: string;
  roles: Role[];
}

export interface RegisteredIds {
  userId: string;
  /** Set when the user has the customer role: its customer record, created with it. */
  customerId?: string;
  position: bigint;
  revision: bigint;
}

/**
 * Creates a user (self-registration, an admin, the bootstrap admin): checks the password policy,
 * hashes it, claims the email, registers the customer record a customer-role user comes with, then
 * the user. A crash between the claim and the user leaves a claim the next attempt re-uses.
 */
@Injectable()
export class UserRegistrar {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly passwords: Passwords,
  ) {}

  async register(input: NewUser, given: CommandContext): Promise<RegisteredIds> {
    const ctx: CommandContext = { ...given, expectedRevision: undefined };
    const email = normaliseEmail(input.email);
    const customerId = input.roles.includes('customer') ? this.deps.ids.uuid() : undefined;
    const command = (userId: string, passwordHash: string): RegisterUser => ({
      type: 'RegisterUser',
      data: { userId, email, name: input.name, roles: [...input.roles], passwordHash, ...(customerId ? { customerId } : {}), now: this.deps.now() },
    });
    // Refuse an invalid user before the costly hash and the claim (the decider is pure: a dry run).
    assertPasswordPolicy(input.password);
    decideUser(command('validation', 'validation'), initialUserState());
    const passwordHash = await this.passwords.hash(input.password);
    const userId = await this.claimEmail(email, ctx);
    if (customerId) await registerCustomer(this.deps, { customerId, name: input.name, email, userId }, ctx);
    const result = await decideAndAppend(this.deps, userStream(userId), userEvolver, (state) => decideUser(command(userId, passwordHash), state), ctx);
    return { userId, ...(customerId ? { customerId } : {}), position: result.position!, revision: result.revision! };
  }

  /** Claims the email for a new user id, or re-uses a claim whose user was never registered. */
  private async claimEmail(email: string, ctx: CommandContext): Promise<string> {
    const { state } = await loadStream(this.deps.store, userEmailStream(email), userEmailEvolver);
    let userId = this.deps.ids.uuid();
    if (state.claimedBy !== null) {
      const owner = await this.deps.store.readStream(userStream(state.claimedBy), { maxCount: 1 });
      if (owner.length === 0) userId = state.claimedBy;
    }
    await decideAndAppend(this.deps, userEmailStream(email), userEmailEvolver, (s) => decideUserEmailClaim({ email, userId }, s), ctx);
    return userId;
  }
}
