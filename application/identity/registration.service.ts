import { Inject, Injectable } from '@nestjs/common';
import { PasswordPolicy } from './password-policy.service.js';

import { normaliseEmail, userEmailClaimDecider } from '../../domain/identity/user-email.js';
import type { RegisterUser } from '../../domain/identity/user.commands.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import { registerCustomer } from '../customer/register-customer.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import type { Role } from '../ports/tokens.port.js';
import { claimUnique } from '../shared/claim-unique.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { Passwords } from './passwords.js';
import { UserDirectory } from './user-directory.js';

export interface NewUser {
  email: string;
  /** null: a user without a password, who signs in through an external identity only. */
  password: string | null;
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
 * Creates a user (self-registration, by an admin, the bootstrap admin, a first sign-in with an external
 * identity, which has no password): checks the password policy and
 * the user before the costly hash, claims the email, registers the customer record a customer-role
 * user comes with, then the user. A crash between the claim and the user leaves a claim the next
 * attempt re-uses.
 */
@Injectable()
export class Registration {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly policy: PasswordPolicy,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}

  async register(input: NewUser, ctx: CommandContext): Promise<RegisteredIds> {
    const { path, deps } = this;
    const email = normaliseEmail(input.email);
    const wantsCustomer = input.roles.includes('customer');
    const command = (userId: string, passwordHash: string | null, customerId?: string): RegisterUser => ({
      type: 'RegisterUser',
      data: {
        userId,
        email,
        name: input.name,
        roles: [...input.roles],
        passwordHash,
        ...(customerId ? { customerId } : {}),
        now: deps.now(),
      },
    });
    if (input.password !== null) this.policy.assert(input.password, { email, name: input.name });
    userDecider.decide(
      command('validation', 'validation', wantsCustomer ? 'validation' : undefined),
      userDecider.initialState(),
    );
    const passwordHash = input.password === null ? null : await this.passwords.hash(input.password);
    const userId = await claimUnique(
      path,
      userEmailClaimDecider,
      this.users.emailKey(email),
      { newId: deps.ids.uuid(), decider: userDecider },
      ctx,
    );
    const customer = wantsCustomer
      ? await registerCustomer(
          { path, index: this.index, newId: deps.ids.uuid(), now: deps.now() },
          { name: input.name, email, userId },
          ctx,
        )
      : undefined;
    const result = await path.handle(userDecider, userId, command(userId, passwordHash, customer?.customerId), ctx);
    return {
      userId,
      ...(customer ? { customerId: customer.customerId } : {}),
      position: result.position!,
      revision: result.revision!,
    };
  }
}
