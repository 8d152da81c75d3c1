import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MasterKeyUnknownError } from '../../application/ports/key-vault.port.js';

/** A 256-bit master key and its id (the first 16 hex digits of its SHA-256: which key wrapped a data key). */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The master key that wraps new keys, and older ones that still unwrap (a rotation in progress). */
export class MasterKeyring {
  private readonly byId = new Map<string, MasterKey>();

  constructor(
    readonly current: MasterKey,
    previous: MasterKey[] = [],
  ) {
    for (const k of [current, ...previous]) this.byId.set(k.id, k);
  }

  /** AES-256-GCM under the current master key, the subject as associated data: nonce | ciphertext | tag. */
  wrap(subject: string, dataKey: Buffer): { masterKeyId: string; wrapped: Buffer } {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, nonce);
    cipher.setAAD(Buffer.from(`rentlog-data-key\0${subject}`, 'utf8'));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { masterKeyId: this.current.id, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
  }

  unwrap(subject: string, masterKeyId: string, wrapped: Buffer): Buffer {
    const master = this.byId.get(masterKeyId);
    if (!master) throw new MasterKeyUnknownError(masterKeyId);
    const decipher = createDecipheriv('aes-256-gcm', master.key, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`rentlog-data-key\0${subject}`, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
    return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
  }
}

/** A master key from its text form: 32 bytes as base64 / base64url (44 or 43 characters) or 64 hex digits. */
export function parseMasterKey(text: string): MasterKey {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64url');
  if (key.length !== 32) throw new Error('A master key is 32 bytes: 64 hex digits or 43/44 base64 characters');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/**
 * The embedded default's master key: made once, at random, in `<dataDir>/master.key` (mode 0600).
 * Production sets MASTER_KEY (or MASTER_KEY_FILE) instead, kept apart from the stores' backups.
 */
export function keyFileMasterKey(file: string): MasterKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  chmodSync(file, 0o600);
  return parseMasterKey(readFileSync(file, 'utf8'));
}

/** A fresh 256-bit data key. */
export const newDataKey = (): Buffer => randomBytes(32);
