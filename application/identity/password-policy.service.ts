import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { assertPasswordPolicy, type PasswordContext } from '../../domain/identity/password-policy.js';

/**
 * The password policy with its list of common and breached passwords: the 49,233 of zxcvbn-ts's
 * common dictionary (ranked by frequency in breaches), shipped with the package and loaded once.
 */
@Injectable()
export class PasswordPolicy {
  private common: Set<string> | null = null;

  /** Throws PASSWORD_POLICY, naming `field` (the body's field that held the password). */
  assert(password: string, context: PasswordContext, field = 'password'): void {
    this.common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
    const common = this.common;
    assertPasswordPolicy(password, context, (candidate) => common.has(candidate), field);
  }
}
