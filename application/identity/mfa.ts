import { createHash, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import type { RegisteredUser } from '../../domain/identity/user.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../ports/rate-limit.port.js';
import { TOTP, type Totp } from '../ports/totp.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';

export const RECOVERY_CODE_COUNT = 10;
/** RFC 4648 base32, lower case: 16 characters are 80 random bits, beyond any offline guessing of a sha256. */
const RECOVERY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** A code matched at step T works while the clock is within T-1..T+1: its "used" mark outlives that. */
const USED_CODE_WINDOW_MS = 120_000;

/** The form a recovery code is compared in: lower case, separators and spaces dropped. */
const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[^a-z2-7]/g, '');
export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');

/**
 * Multi-factor authentication with TOTP (RFC 6238) and recovery codes. The shared secret is kept
 * on the user's stream, encrypted at rest under the user's data key by the event codec; a code is accepted once (the first request to count its
 * time step in the shared counters wins, in every api process); a recovery code is spent by an event
 * on the user's stream, so two requests cannot both spend it.
 */
@Injectable()
export class Mfa {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(TOTP) private readonly totp: Totp,
    @Inject(RATE_LIMIT_STORE) private readonly counters: RateLimitStore,
  ) {}

  /** A new secret for the user, with what an authenticator app enrols from. */
  async newSecret(user: RegisteredUser) {
    const secret = this.totp.generateSecret();
    const otpauthUrl = this.totp.enrolmentUrl(secret, user.email);
    return {
      secret,
      otpauthUrl,
      qrCodeSvg: await this.totp.qrCodeSvg(otpauthUrl),
    };
  }

  /** Whether `code` is the one-time code of the user's secret (pending or on) now, not accepted before. */
  async acceptCode(user: RegisteredUser, code: string): Promise<boolean> {
    if (user.mfa.status === 'off') return false;
    const secret = user.mfa.totpSecret;
    const now = this.deps.clock.now().getTime();
    const match = await this.totp.verify(secret, code, now);
    if (!match.valid) return false;
    const { count } = await this.counters.hit(
      `mfa-totp-used:${user.userId}:${match.timeStep}`,
      USED_CODE_WINDOW_MS,
      now,
    );
    return count === 1;
  }

  /** Spends one of the user's recovery codes; false when none unused matches. */
  async spendRecoveryCode(user: RegisteredUser, code: string, ctx: CommandContext): Promise<boolean> {
    try {
      await this.path.handle(
        userDecider,
        user.userId,
        { type: 'UseRecoveryCode', data: { codeHash: hashRecoveryCode(code), now: this.deps.now() } },
        ctx,
      );
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === IdentityErrors.mfaCodeInvalid) return false;
      throw error;
    }
  }

  /** A code from the authenticator app, else a recovery code: whether one of them was given and holds. */
  async secondFactor(
    user: RegisteredUser,
    given: { otp?: string; recoveryCode?: string },
    ctx: CommandContext,
  ): Promise<boolean> {
    if (given.otp !== undefined) return this.acceptCode(user, given.otp);
    if (given.recoveryCode !== undefined) return this.spendRecoveryCode(user, given.recoveryCode, ctx);
    return false;
  }

  /** Ten fresh recovery codes (`xxxx-xxxx-xxxx-xxxx`), shown once; their sha256 go on the user's stream. */
  newRecoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
      return chars.match(/.{4}/g)!.join('-');
    });
    return { codes, hashes: codes.map(hashRecoveryCode) };
  }

  /** Refuses (400 MFA_CODE_INVALID) when `ok` is false. */
  static assertCode(ok: boolean, field: 'otp' | 'recoveryCode' = 'otp'): void {
    if (!ok)
      throw new DomainError(IdentityErrors.mfaCodeInvalid, 'The one-time code is not correct, or was used already', [
        { field, message: 'not correct' },
      ]);
  }
}
