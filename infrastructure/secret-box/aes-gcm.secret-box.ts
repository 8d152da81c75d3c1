import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretBox } from '../../application/ports/secret-box.port.js';

export interface SecretBoxKey {
  kid: string;
  /** Key material (32+ characters); the AES-256 key is its sha256. */
  secret: string;
}

/**
 * AES-256-GCM: `v1.<kid>.<nonce>.<ciphertext+tag>` (base64url), a random 96-bit nonce per value, the
 * context as associated data. The first key seals; every key opens (rotation with an overlap).
 */
export class AesGcmSecretBox implements SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly sealing: string;

  constructor(keys: readonly SecretBoxKey[]) {
    if (keys.length === 0) throw new Error('The secret box needs at least one key');
    for (const key of keys) {
      if (key.secret.length < 32) throw new Error(`The secret box key ${key.kid} needs at least 32 characters`);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(key.kid)) throw new Error(`The secret box key id ${key.kid} is not valid`);
    }
    this.keys = new Map(keys.map((k) => [k.kid, createHash('sha256').update(k.secret, 'utf8').digest()]));
    this.sealing = keys[0].kid;
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.sealing)!, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return ['v1', this.sealing, nonce.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, kid, nonce, body] = sealed.split('.');
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (version !== 'v1' || !key || !nonce || !body)
      throw new Error('The sealed value is malformed or its key is unknown');
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < 16) throw new Error('The sealed value is malformed');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  }
}

/**
 * The embedded default's key: made once, at random, in `<dataDir>/secret-box.key` (readable by the
 * owner only). Deployments on EventStoreDB set SECRET_BOX_KEYS instead, the same for every process.
 */
export function keyFileSecretBoxKey(dataDir: string): SecretBoxKey {
  const file = path.join(dataDir, 'secret-box.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  chmodSync(file, 0o600);
  return { kid: 'file', secret: readFileSync(file, 'utf8').trim() };
}
