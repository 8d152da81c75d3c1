import { Inject, Injectable } from '@nestjs/common';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import type { SignInClearReason } from '../../domain/identity/sign-in.events.js';
import { signInDecider } from '../../domain/identity/sign-in.decider.js';
import { lockOf } from '../../domain/identity/sign-in.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../ports/rate-limit.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { UserDirectory } from './user-directory.js';

/**
 * Throttling of password sign-ins (OWASP Authentication Cheat Sheet): failures are counted per email,
 * known or not, as events on the email's own stream, which lock it for a growing time and, at the
 * NIST ceiling, until an admin unlocks it; and per client address, in the shared rate-limit counters
 * (never in a stream: an address is personal data). A locked email or address is refused before any
 * password is hashed, the same way whether the account exists.
 */
@Injectable()
export class SignInGuard {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    @Inject(RATE_LIMIT_STORE) private readonly counters: RateLimitStore,
  ) {}

  /** Refuses (429) an attempt on a locked email or from an address with too many failures. */
  async assertOpen(email: string, ipAddress: string | null): Promise<void> {
    const now = this.deps.clock.now();
    if (ipAddress !== null) {
      const window = await this.counters.peek(addressKey(ipAddress), now.getTime());
      if (window && window.count >= this.deps.settings.signIn.addressFailures) {
        throw new DomainError(
          IdentityErrors.signInThrottled,
          'Too many failed sign-ins from your address; try again later',
          undefined,
          (window.resetAtMs - now.getTime()) / 1000,
        );
      }
    }
    const { state } = await this.path.load(signInDecider, this.users.emailKey(email));
    const lock = lockOf(state, now.toISOString());
    if (lock) {
      const detail = lock.until
        ? 'Too many failed sign-ins for this email; try again later'
        : 'Too many failed sign-ins for this email: reset the password or ask an administrator';
      throw new DomainError(
        IdentityErrors.signInLocked,
        detail,
        undefined,
        lock.until ? (Date.parse(lock.until) - now.getTime()) / 1000 : undefined,
      );
    }
  }

  /** Counts a failure for the email and the address; may lock the email from the next attempt on. */
  async failed(email: string, userId: string | null, ipAddress: string | null, ctx: CommandContext): Promise<void> {
    const { settings } = this.deps;
    const now = this.deps.clock.now();
    if (ipAddress !== null)
      await this.counters.hit(addressKey(ipAddress), settings.signIn.addressWindowSeconds * 1000, now.getTime());
    const result = await this.path.handle(
      signInDecider,
      this.users.emailKey(email),
      {
        type: 'RecordSignInFailure',
        data: { userId, ipAddress, policy: settings.signIn.lockout, now: now.toISOString() },
      },
      ctx,
    );
    const locked = result.events.find((e) => e.type === 'SignInLockedOut');
    if (locked)
      this.deps.logger.warn('sign-in locked for an email after consecutive failures', {
        failures: locked.data.failures,
        lockedUntil: locked.data.lockedUntil,
        ...(userId ? { userId } : {}),
      });
  }

  /** Forgets the email's failures (a sign-in that worked, an admin's unlock, a password reset). */
  async clear(email: string, userId: string, reason: SignInClearReason, ctx: CommandContext): Promise<bigint | null> {
    const result = await this.path.handle(
      signInDecider,
      this.users.emailKey(email),
      { type: 'ClearSignInFailures', data: { userId, reason, now: this.deps.now() } },
      ctx,
    );
    return result.events.length > 0 ? result.position : null;
  }
}

const addressKey = (ipAddress: string): string => `signin-failures:${ipAddress}`;
