import { OtplibTotp } from '../../../infrastructure/mfa/otplib.totp.js';

/** RFC 4648 base32 without padding: how TOTP secrets are written. */
function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

// RFC 6238, Appendix B: the seeds are these ASCII strings, the codes 8 digits, the step 30 s.
const SEEDS = {
  sha1: base32(Buffer.from('12345678901234567890', 'ascii')),
  sha256: base32(Buffer.from('12345678901234567890123456789012', 'ascii')),
  sha512: base32(Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii')),
};
const VECTORS: Array<[number, 'sha1' | 'sha256' | 'sha512', string]> = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

describe('TOTP (RFC 6238 Appendix B)', () => {
  it.each(VECTORS)('at %i s with %s the code is %s, and it verifies at that step', async (seconds, algorithm, code) => {
    const totp = new OtplibTotp({ issuer: 'Rentlog', algorithm, digits: 8 });
    expect(await totp.generate(SEEDS[algorithm], seconds * 1000)).toBe(code);
    expect(await totp.verify(SEEDS[algorithm], code, seconds * 1000)).toEqual({
      valid: true,
      timeStep: Math.floor(seconds / 30),
    });
  });

  it('accepts one step of drift each way and no more', async () => {
    const totp = new OtplibTotp({ issuer: 'Rentlog' });
    const secret = totp.generateSecret();
    const at = 1_700_000_000_000;
    const code = await totp.generate(secret, at);
    const step = Math.floor(at / 30_000);
    expect(await totp.verify(secret, code, at + 30_000)).toEqual({ valid: true, timeStep: step });
    expect(await totp.verify(secret, code, at - 30_000)).toEqual({ valid: true, timeStep: step });
    expect(await totp.verify(secret, code, at + 60_000)).toEqual({ valid: false });
    expect(await totp.verify(secret, code, at - 60_000)).toEqual({ valid: false });
    expect(await totp.verify(secret, '12345', at)).toEqual({ valid: false });
    expect(await totp.verify(secret, 'abcdef', at)).toEqual({ valid: false });
  });

  it('makes a 160-bit base32 secret, an otpauth URL and an SVG QR code', async () => {
    const totp = new OtplibTotp({ issuer: 'Rentlog' });
    const secret = totp.generateSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = totp.enrolmentUrl(secret, 'grace@example.com');
    expect(url).toMatch(/^otpauth:\/\/totp\/Rentlog:grace(%40|@)example\.com\?/);
    expect(new URL(url).searchParams.get('secret')).toBe(secret);
    expect(new URL(url).searchParams.get('issuer')).toBe('Rentlog');
    expect(await totp.qrCodeSvg(url)).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });
});
