import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Totp, TotpMatch } from '../../application/ports/totp.port.js';

export interface TotpOptions {
  /** The issuer authenticator apps show beside the account. */
  issuer: string;
  /** RFC 6238 allows SHA-256 and SHA-512 too; authenticator apps expect SHA-1 (the default). */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  digits?: 6 | 8;
}

const PERIOD_SECONDS = 30;
const CODE_SHAPE = { 6: /^[0-9]{6}$/, 8: /^[0-9]{8}$/ } as const;

/** RFC 6238 TOTP with otplib, QR codes with qrcode. */
export class OtplibTotp implements Totp {
  private readonly algorithm: 'sha1' | 'sha256' | 'sha512';
  private readonly digits: 6 | 8;

  constructor(private readonly options: TotpOptions) {
    this.algorithm = options.algorithm ?? 'sha1';
    this.digits = options.digits ?? 6;
  }

  generateSecret(): string {
    return generateSecret();
  }

  enrolmentUrl(secret: string, account: string): string {
    return generateURI({
      issuer: this.options.issuer,
      label: account,
      secret,
      algorithm: this.algorithm,
      digits: this.digits,
      period: PERIOD_SECONDS,
    });
  }

  qrCodeSvg(url: string): Promise<string> {
    return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  generate(secret: string, atMs: number): Promise<string> {
    return generate({
      secret,
      epoch: Math.floor(atMs / 1000),
      algorithm: this.algorithm,
      digits: this.digits,
      period: PERIOD_SECONDS,
    });
  }

  async verify(secret: string, code: string, atMs: number): Promise<TotpMatch> {
    if (!CODE_SHAPE[this.digits].test(code)) return { valid: false };
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(atMs / 1000),
      // One step of drift each way (RFC 6238 section 5.2).
      epochTolerance: PERIOD_SECONDS,
      algorithm: this.algorithm,
      digits: this.digits,
      period: PERIOD_SECONDS,
    });
    // RFC 6238's T: the step of `atMs`, moved by the drift the code matched at.
    return result.valid
      ? { valid: true, timeStep: Math.floor(atMs / 1000 / PERIOD_SECONDS) + result.delta }
      : { valid: false };
  }
}
