import { AesGcmSecretBox } from '../../../infrastructure/secret-box/aes-gcm.secret-box.js';

const KEY_A = { kid: 'a', secret: 'a'.repeat(40) };
const KEY_B = { kid: 'b', secret: 'b'.repeat(40) };

describe('the secret box (AES-256-GCM)', () => {
  it('opens what it sealed, and seals the same value differently each time', () => {
    const box = new AesGcmSecretBox([KEY_A]);
    const one = box.seal('JBSWY3DPEHPK3PXP', 'totp-secret:u1');
    const two = box.seal('JBSWY3DPEHPK3PXP', 'totp-secret:u1');
    expect(one).not.toBe(two);
    expect(one).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(one, 'totp-secret:u1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a flipped bit, another context and an unknown key', () => {
    const box = new AesGcmSecretBox([KEY_A]);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp-secret:u1');
    const [v, kid, nonce, body] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    expect(() => box.open([v, kid, nonce, bytes.toString('base64url')].join('.'), 'totp-secret:u1')).toThrow();
    expect(() => box.open(sealed, 'totp-secret:u2')).toThrow();
    expect(() => new AesGcmSecretBox([KEY_B]).open(sealed, 'totp-secret:u1')).toThrow(/key is unknown/);
    expect(() => box.open('v1.a.x', 'totp-secret:u1')).toThrow(/malformed/);
  });

  it('rotates: the first key seals, every key opens', () => {
    const old = new AesGcmSecretBox([KEY_A]).seal('s1', 'c');
    const rotated = new AesGcmSecretBox([KEY_B, KEY_A]);
    expect(rotated.open(old, 'c')).toBe('s1');
    expect(rotated.seal('s2', 'c').split('.')[1]).toBe('b');
  });

  it('refuses short keys', () => {
    expect(() => new AesGcmSecretBox([{ kid: 'x', secret: 'short' }])).toThrow(/32 characters/);
  });
});
