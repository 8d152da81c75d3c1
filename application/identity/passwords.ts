import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/** Password hashing with argon2id (the library's default cost: 64 MiB, 3 passes, 4 lanes). */
@Injectable()
export class Passwords implements OnModuleInit {
  private dummy: Promise<string> | null = null;

  /** Makes the dummy hash at start, so the first unknown-email login costs what every other one does. */
  onModuleInit(): void {
    this.dummyHash();
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real check (for an unknown email) and answers false. */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(await this.dummyHash(), password);
    return false;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64url'));
    return this.dummy;
  }
}
