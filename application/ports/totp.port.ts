export const TOTP = Symbol('Totp');

/** A code that matched, and the RFC 6238 time step it matched at (what makes it single use). */
export type TotpMatch = { valid: true; timeStep: number } | { valid: false };

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps, as authenticator apps
 * use them), the otpauth:// URL that enrols an app, and its QR code.
 */
export interface Totp {
  /** A new shared secret, base32 (160 random bits). */
  generateSecret(): string;
  /** The `otpauth://totp/...` URL an authenticator app enrols from. */
  enrolmentUrl(secret: string, account: string): string;
  /** The URL as a QR code, an SVG document. */
  qrCodeSvg(url: string): Promise<string>;
  /** The code of `secret` at `atMs`. */
  generate(secret: string, atMs: number): Promise<string>;
  /** Whether `code` is the secret's at `atMs`, one step before or one after (clock drift). */
  verify(secret: string, code: string, atMs: number): Promise<TotpMatch>;
}
