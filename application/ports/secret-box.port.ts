export const SECRET_BOX = Symbol('SecretBox');

/**
 * Encryption of stored credentials that must be read back (a TOTP secret), so that a copy of the event
 * store alone does not give them away. A sealed value names the key it was sealed with (keys rotate:
 * the newest seals, every configured one opens) and is bound to `context` (say, the user it belongs to):
 * a sealed value moved to another context does not open.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws for a value that was tampered with, sealed for another context, or under a key it does not have. */
  open(sealed: string, context: string): string;
}
