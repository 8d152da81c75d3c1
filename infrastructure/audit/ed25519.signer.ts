/**
 * The audit key: Ed25519 (node:crypto) signs the checkpoints. AUDIT_SIGNING_KEY (the private key as
 * PKCS#8 PEM, or base64 of its DER) or, embedded, a key made once in `<dataDir>/audit-signing.key`.
 * A checkpoint carries its public key; verification trusts the current key and AUDIT_TRUSTED_KEYS
 * (earlier keys' public halves), nothing a checkpoint merely claims.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AuditSigner {
  readonly keyId: string;
  /** base64 SPKI DER. */
  readonly publicKey: string;
  sign(message: string): string;
  /** Whether `signature` is `publicKey`'s over `message`, and that key is trusted. */
  verify(message: string, signature: string, publicKey: string): 'valid' | 'invalid' | 'untrusted';
}

export const keyIdOf = (publicKeyDer: Buffer): string =>
  createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16);

function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('The audit signing key must be an Ed25519 private key');
  return key;
}

export class Ed25519AuditSigner implements AuditSigner {
  readonly keyId: string;
  readonly publicKey: string;
  private readonly privateKey: KeyObject;
  private readonly trusted: Set<string>;

  constructor(privateKeyText: string, trustedPublicKeys: string[] = []) {
    this.privateKey = parsePrivateKey(privateKeyText);
    const der = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = der.toString('base64');
    this.keyId = keyIdOf(der);
    this.trusted = new Set([this.publicKey, ...trustedPublicKeys]);
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }

  verify(message: string, signature: string, publicKey: string): 'valid' | 'invalid' | 'untrusted' {
    if (!this.trusted.has(publicKey)) return 'untrusted';
    try {
      const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
      return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64')) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

/** The embedded default's key: made once in `<dataDir>/audit-signing.key` (owner-only), PKCS#8 PEM. */
export function keyFileAuditKey(dataDir: string): string {
  const file = path.join(dataDir, 'audit-signing.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8');
}

/** Whether the text is an Ed25519 private key this signer takes (config checks it). */
export function isAuditSigningKey(text: string): boolean {
  try {
    parsePrivateKey(text);
    return true;
  } catch {
    return false;
  }
}
