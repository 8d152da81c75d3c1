import { Inject, Injectable } from '@nestjs/common';
import { CoreDeps } from '../shared/core-deps.js';
import { evolveUserEmail, initialUserEmailState, normaliseEmail, userEmailStream, type UserEmailClaimed, type UserEmailState } from '../../domain/identity/user-email.js';
import { userStream, type UserEvent } from '../../domain/identity/user.events.js';
import { evolveUser, initialUserState, type UserState } from '../../domain/identity/user.state.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { loadStream, type Evolver } from '../shared/event-sourcing.js';

export const userEvolver: Evolver<UserState, UserEvent> = { initialState: initialUserState, evolve: evolveUser };
export const userEmailEvolver: Evolver<UserEmailState, UserEmailClaimed> = { initialState: initialUserEmailState, evolve: evolveUserEmail };

export type RegisteredUser = Extract<UserState, { status: 'registered' }>;

/** What every identity handler needs, injected once. */
@Injectable()
export class IdentityDeps extends CoreDeps {
  /** The one port beyond CoreDeps' (property injection keeps CoreDeps' constructor as it is). */
  @Inject(TOKENS) readonly tokens!: Tokens;

  /** The registered user with this id, or null. */
  async findUser(userId: string): Promise<RegisteredUser | null> {
    const { state } = await loadStream(this.store, userStream(userId), userEvolver);
    return state.status === 'registered' ? state : null;
  }

  /** The registered user who claimed this email (read from the claim stream, not a read model), or null. */
  async findUserByEmail(email: string): Promise<RegisteredUser | null> {
    const { state } = await loadStream(this.store, userEmailStream(email), userEmailEvolver);
    const user = state.claimedBy === null ? null : await this.findUser(state.claimedBy);
    return user?.email === normaliseEmail(email) ? user : null;
  }
}

/**
 * The context for events a user causes on their own stream by signing in or presenting a refresh
 * token: an anonymous request is recorded with that user as the actor; `If-Match` does not apply.
 */
export const asUser = (ctx: CommandContext, user: RegisteredUser): CommandContext => ({
  ...ctx,
  actor: ctx.actor.role === 'anonymous' ? { userId: user.userId, role: user.roles.join(',') } : ctx.actor,
  expectedRevision: undefined,
});
