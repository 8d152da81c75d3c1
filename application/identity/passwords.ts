import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { normalisePassword } from '../../domain/identity/password-policy.js';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher.port.js';

/**
 * Password checks on top of the hasher port: passwords are hashed and checked as NFKC, and an unknown
 * email costs what a wrong password does.
 */
@Injectable()
export class Passwords implements OnModuleInit {
  private dummy: Promise<string> | null = null;

  constructor(@Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher) {}

  /** Makes the dummy hash at start, so the first unknown-email login costs what every other one does. */
  onModuleInit(): void {
    void this.dummyHash();
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(normalisePassword(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.hasher.verify(hash, normalisePassword(password));
  }

  /** Spends the time of a real check (for an unknown email) and answers false. */
  async verifyNobody(password: string): Promise<false> {
    await this.hasher.verify(await this.dummyHash(), normalisePassword(password));

    return false;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash(randomBytes(24).toString('base64url'));
    return this.dummy;
  }
}
