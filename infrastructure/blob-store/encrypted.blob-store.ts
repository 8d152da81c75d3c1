import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { BlobStore } from '../../application/ports/blob-store.port.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import { PersonalDataUnreadableError } from '../privacy/field-cipher.js';

/** `rlb1` | 96-bit nonce | AES-256-GCM ciphertext | 128-bit tag. */
const MAGIC = Buffer.from('rlb1', 'ascii');
const NONCE = 12;
const TAG = 16;

/** The associated data: which blob of which subject, so that bytes moved to another id or subject do not open. */
const contextOf = (subject: string, id: string) => Buffer.from(`blob\0${subject}\0${id}`, 'utf8');

/** A blob of a subject whose key was destroyed (erased): nothing can be stored for it any more. */
export class BlobSubjectErasedError extends Error {
  constructor() {
    super('The data subject of this blob was erased');
    this.name = 'BlobSubjectErasedError';
  }
}

/**
 * The blob store the application uses: every blob encrypted under its subject's data key (AES-256-GCM,
 * a fresh nonce per blob, the blob id and subject as associated data) before the adapter below sees
 * it. A subject without a live key (erased) reads as no blob at all; a changed bit fails
 * authentication (PersonalDataUnreadableError, which says nothing of the content).
 */
export class EncryptedBlobStore implements BlobStore {
  constructor(
    private readonly inner: BlobStore,
    private readonly vault: KeyVault,
  ) {}

  async put(subject: string, id: string, bytes: Buffer): Promise<void> {
    const key = await this.vault.key(subject);
    if (key.status !== 'active') throw new BlobSubjectErasedError();
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
    cipher.setAAD(contextOf(subject, id));
    const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
    await this.inner.put(subject, id, Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]));
  }

  async get(subject: string, id: string): Promise<Buffer | null> {
    const sealed = await this.inner.get(subject, id);
    if (!sealed) return null;
    const key = await this.vault.peek(subject);
    if (key.status !== 'active') return null;
    try {
      if (sealed.length < MAGIC.length + NONCE + TAG || !sealed.subarray(0, MAGIC.length).equals(MAGIC))
        throw new Error('malformed');
      const nonce = sealed.subarray(MAGIC.length, MAGIC.length + NONCE);
      const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
      decipher.setAAD(contextOf(subject, id));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
      return Buffer.concat([
        decipher.update(sealed.subarray(MAGIC.length + NONCE, sealed.length - TAG)),
        decipher.final(),
      ]);
    } catch {
      throw new PersonalDataUnreadableError(`blob ${id}`);
    }
  }

  delete(subject: string, id: string): Promise<void> {
    return this.inner.delete(subject, id);
  }

  deleteSubject(subject: string): Promise<number> {
    return this.inner.deleteSubject(subject);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
