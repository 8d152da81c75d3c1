import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore } from '../../application/ports/blob-store.port.js';

/**
 * Blobs as files under one folder (`DATA_DIR/blobs`, the embedded default): `<subject>/<id>.blob`,
 * the subject's folder named by its base64url (no separator or dot can reach a path), folders 0700 and
 * files 0600. A write goes to a temporary file in the same folder, is flushed, then renamed into place,
 * so a crash leaves the old blob or the new one, never half of one.
 */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private folder(subject: string): string {
    return path.join(this.root, Buffer.from(subject, 'utf8').toString('base64url'));
  }

  private file(subject: string, id: string): string {
    assertBlobKey(subject, id);
    return path.join(this.folder(subject), `${id}.blob`);
  }

  async put(subject: string, id: string, bytes: Buffer): Promise<void> {
    const target = this.file(subject, id);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  async get(subject: string, id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(subject, id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(subject: string, id: string): Promise<void> {
    await unlink(this.file(subject, id)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async deleteSubject(subject: string): Promise<number> {
    assertBlobKey(subject);
    const folder = this.folder(subject);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    await rm(folder, { recursive: true, force: true });
    return names.filter((n) => n.endsWith('.blob')).length;
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await stat(this.root);
  }

  async close(): Promise<void> {}
}
