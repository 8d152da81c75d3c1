import { DomainError } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** What a password may not be made of: the account's own email and name (NIST 800-63B 5.1.1.2). */
export interface PasswordContext {
  email?: string;
  name?: string;
}

/**
 * Passwords are compared as NFKC (NIST 800-63B 5.1.1.2): the same password typed on another keyboard or
 * pasted from another system (full-width letters, composed or decomposed accents) is the same password.
 */
export const normalisePassword = (password: string): string => password.normalize('NFKC');

/**
 * NIST 800-63B's rules, no composition rules: 12 to 256 characters (code points, after NFKC), not one
 * of the most common or breached passwords (`isCommon`, the application's list) even with digits or
 * symbols around it, not mostly one or two characters repeated, and not the account's own email or
 * name. Throws PASSWORD_POLICY naming the rule.
 */
export function assertPasswordPolicy(
  password: string,
  context: PasswordContext,
  isCommon: (lowercase: string) => boolean,
  field = 'password',
): void {
  const refuse = (message: string): never => {
    throw new DomainError(IdentityErrors.passwordPolicy, `The password ${message}`, [{ field, message }]);
  };
  const normal = normalisePassword(password);
  const length = [...normal].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    refuse(`must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  const lower = normal.toLowerCase();
  if (new Set(lower).size < 4) refuse('must not be a few characters repeated');
  // "password1234", "Summer2024!!": a common word with digits or symbols around it is still common.
  const core = lower.replace(/^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu, '');
  if (isCommon(lower) || (core.length >= 4 && isCommon(core)))
    refuse('is too common: it appears in lists of breached passwords');
  for (const word of contextWords(context)) {
    if (lower.includes(word)) refuse('must not contain your email address or name');
  }
}

function contextWords({ email, name }: PasswordContext): string[] {
  const words = ['rentlog'];
  if (email) {
    const lowerEmail = email.trim().toLowerCase();
    const local = lowerEmail.split('@')[0];
    words.push(lowerEmail, local, ...local.split(/[^\p{L}\p{N}]+/u));
  }
  if (name)
    words.push(
      ...normalisePassword(name)
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u),
    );
  return words.filter((w) => [...w].length >= 4);
}
