import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BlindIndex } from '../../application/ports/blind-index.port.js';

/** HMAC-SHA256 of `<purpose>\0<value>` under the key, 128 bits in hex. */
export class HmacBlindIndex implements BlindIndex {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('The blind index key needs at least 32 bytes');
  }

  of(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(value).digest('hex').slice(0, 32);
  }
}

/**
 * The embedded default's key: made once, at random, in `<dataDir>/blind-index.key` (readable by the
 * owner only), so that lookups survive restarts. Deployments on EventStoreDB set BLIND_INDEX_KEY
 * instead, the same for every process.
 */
export function keyFileBlindIndexKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'blind-index.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  chmodSync(file, 0o600);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}
