import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore } from '../../infrastructure/blob-store/file.blob-store.js';
import { GridFsBlobStore } from '../../infrastructure/blob-store/gridfs.blob-store.js';
import { onMongo } from '../support/store-kinds.js';
import { blobStoreContract } from './blob-store.contract.js';

blobStoreContract('files under DATA_DIR', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-blobs-'));
  return {
    open: async () => new FileBlobStore(path.join(dir, 'blobs')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

onMongo('MongoDB GridFS blob store contract suite', (url, ownDatabase) =>
  blobStoreContract('MongoDB GridFS', async () => {
    const db = ownDatabase('rentlog_blobs_');
    return { open: () => GridFsBlobStore.connect(url, db.name), cleanup: db.drop };
  }),
);

describe('FileBlobStore (files only)', () => {
  it('keeps every folder 0700 and every file 0600, and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-blobs-mode-'));
    const store = new FileBlobStore(path.join(dir, 'blobs'));
    try {
      for (let i = 0; i < 3; i++) await store.put(`customer:${randomUUID()}`, randomUUID(), Buffer.from('x'));
      const walk = (at: string): string[] =>
        readdirSync(at).flatMap((name) => {
          const full = path.join(at, name);
          return statSync(full).isDirectory() ? [full, ...walk(full)] : [full];
        });
      const entries = walk(path.join(dir, 'blobs'));
      expect(entries.filter((e) => e.endsWith('.blob'))).toHaveLength(3);
      expect(entries.filter((e) => e.endsWith('.tmp'))).toEqual([]);
      for (const entry of [path.join(dir, 'blobs'), ...entries])
        expect(statSync(entry).mode & 0o777).toBe(statSync(entry).isDirectory() ? 0o700 : 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
