import { Inject, Injectable } from '@nestjs/common';
import { externalIdentityClaimDecider } from '../../domain/identity/external-identity.js';
import { normaliseEmail, userEmailClaimDecider } from '../../domain/identity/user-email.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import type { RegisteredUser } from '../../domain/identity/user.state.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { CommandPath } from '../shared/command-path.js';

/** Users by id, by email and by external identity, from the write side (a user's stream, its email's claim, an identity's claim), never a read model. */
@Injectable()
export class UserDirectory {
  constructor(
    private readonly path: CommandPath,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}

  /** The key of an email's claim stream: a keyed hash of the normalised address. */
  emailKey(email: string): string {
    return this.index.of('user-email', normaliseEmail(email));
  }

  /** The key of an external identity's claim stream: a keyed hash of the provider and the subject there. */
  externalIdentityKey(provider: string, subject: string): string {
    return this.index.of('external-identity', `${provider}\n${subject}`);
  }

  /** The user an external identity was claimed for (by its claim's key), if it is registered. */
  async findByExternalIdentity(key: string): Promise<RegisteredUser | null> {
    const { state } = await this.path.load(externalIdentityClaimDecider, key);
    return state.claimedBy === null ? null : await this.findById(state.claimedBy);
  }

  async findById(userId: string): Promise<RegisteredUser | null> {
    const { state } = await this.path.load(userDecider, userId);
    return state.status === 'registered' ? state : null;
  }

  async findByEmail(email: string): Promise<RegisteredUser | null> {
    const { state } = await this.path.load(userEmailClaimDecider, this.emailKey(email));
    const user = state.claimedBy === null ? null : await this.findById(state.claimedBy);
    return user?.email === normaliseEmail(email) ? user : null;
  }
}
