/**
 * The blob store contract: what the application's blob store answers over every adapter (files under
 * DATA_DIR always, MongoDB GridFS when MONGODB_URL is set), encryption included: the adapter below
 * holds ciphertext only, which opens under its own subject's key and id and nowhere else.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobStore } from '../../application/ports/blob-store.port.js';
import { BlobSubjectErasedError, EncryptedBlobStore } from '../../infrastructure/blob-store/encrypted.blob-store.js';
import { MasterKeyring, parseMasterKey } from '../../infrastructure/key-vault/master-keys.js';
import { SqliteKeyVault } from '../../infrastructure/key-vault/sqlite.key-vault.js';
import { PersonalDataUnreadableError } from '../../infrastructure/privacy/field-cipher.js';

export interface BlobStoreFixture {
  /** The adapter (what holds the bytes), opened anew: a restart. */
  open(): Promise<BlobStore>;
  cleanup(): Promise<void>;
}

export function blobStoreContract(name: string, setup: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let raw: BlobStore;
    let vault: SqliteKeyVault;
    let blobs: EncryptedBlobStore;
    let keysDir: string;
    beforeAll(async () => {
      fixture = await setup();
      raw = await fixture.open();
      keysDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-blob-keys-'));
      vault = new SqliteKeyVault(
        path.join(keysDir, 'keys.db'),
        new MasterKeyring(parseMasterKey(randomBytes(32).toString('hex'))),
      );
      blobs = new EncryptedBlobStore(raw, vault);
    });
    afterAll(async () => {
      await blobs.close();
      await vault.close();
      await fixture.cleanup();
      rmSync(keysDir, { recursive: true, force: true });
    });
    const subject = () => `customer:${randomUUID()}`;

    it('answers the bytes it was given (1 MiB of any byte), also after a restart', async () => {
      const s = subject();
      const id = randomUUID();
      const bytes = randomBytes(1024 * 1024);
      await blobs.put(s, id, bytes);
      expect((await blobs.get(s, id))?.equals(bytes)).toBe(true);
      const again = await fixture.open();
      try {
        expect((await new EncryptedBlobStore(again, vault).get(s, id))?.equals(bytes)).toBe(true);
      } finally {
        await again.close();
      }
    });

    it('answers null for a blob never stored, and for a known id under another subject', async () => {
      const s = subject();
      const id = randomUUID();
      expect(await blobs.get(s, id)).toBeNull();
      await blobs.put(s, id, Buffer.from('mine'));
      expect(await blobs.get(subject(), id)).toBeNull();
    });

    it('replaces the bytes on a second put of the same id', async () => {
      const s = subject();
      const id = randomUUID();
      await blobs.put(s, id, Buffer.from('first'));
      await blobs.put(s, id, Buffer.from('second'));
      expect((await blobs.get(s, id))?.toString()).toBe('second');
    });

    it('hands the adapter ciphertext only: no plaintext, and the same bytes seal differently each time', async () => {
      const s = subject();
      const canary = `canary-${randomUUID()}`;
      const plain = Buffer.from(`%PDF-1.4 ${canary} ${canary}`);
      await blobs.put(s, 'a', plain);
      await blobs.put(s, 'b', plain);
      const [a, b] = [await raw.get(s, 'a'), await raw.get(s, 'b')];
      expect(a!.includes(canary)).toBe(false);
      expect(a!.includes(Buffer.from('%PDF'))).toBe(false);
      expect(a!.equals(b!)).toBe(false);
    });

    it('opens a blob only where it was sealed: moved to another id or subject, or one bit changed, it fails', async () => {
      const s = subject();
      await blobs.put(s, 'original', Buffer.from('a photo of a scratch'));
      const sealed = (await raw.get(s, 'original'))!;
      await raw.put(s, 'moved', sealed);
      await expect(blobs.get(s, 'moved')).rejects.toBeInstanceOf(PersonalDataUnreadableError);
      const other = subject();
      await vault.key(other);
      await raw.put(other, 'original', sealed);
      await expect(blobs.get(other, 'original')).rejects.toBeInstanceOf(PersonalDataUnreadableError);
      const flipped = Buffer.from(sealed);
      flipped[flipped.length - 20] ^= 0x01;
      await raw.put(s, 'original', flipped);
      await expect(blobs.get(s, 'original')).rejects.toBeInstanceOf(PersonalDataUnreadableError);
    });

    it('deletes one blob, and every blob of a subject (counted), leaving other subjects whole', async () => {
      const [s, t] = [subject(), subject()];
      for (const id of ['1', '2', '3']) await blobs.put(s, id, Buffer.from(id));
      await blobs.put(t, '1', Buffer.from('other'));
      await blobs.delete(s, '3');
      await blobs.delete(s, 'never-stored');
      expect(await blobs.get(s, '3')).toBeNull();
      expect(await blobs.deleteSubject(s)).toBe(2);
      expect(await blobs.get(s, '1')).toBeNull();
      expect(await raw.get(s, '2')).toBeNull();
      expect(await blobs.deleteSubject(s)).toBe(0);
      expect((await blobs.get(t, '1'))?.toString()).toBe('other');
    });

    it("reads nothing once the subject's key is destroyed, and stores nothing for it any more", async () => {
      const s = subject();
      await blobs.put(s, 'doc', Buffer.from('passport scan'));
      await vault.destroy(s);
      expect(await raw.get(s, 'doc')).not.toBeNull(); // the bytes may still be there ...
      expect(await blobs.get(s, 'doc')).toBeNull(); // ... but nothing can open them
      await expect(blobs.put(s, 'again', Buffer.from('x'))).rejects.toBeInstanceOf(BlobSubjectErasedError);
    });

    it('takes ids and subjects only: a name with a path in it is refused', async () => {
      for (const [s, id] of [
        [subject(), '../../etc/passwd'],
        [subject(), 'a/b'],
        [subject(), '..'],
        ['customer:../x', 'id'],
        ['customer', 'id'],
      ])
        await expect(blobs.put(s, id, Buffer.from('x'))).rejects.toThrow(/Not a (blob id|data subject)/);
      await expect(blobs.deleteSubject('customer:*')).rejects.toThrow(/Not a data subject/);
    });

    it('answers a ping', async () => {
      await expect(blobs.ping()).resolves.toBeUndefined();
    });
  });
}
