import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { mongoClientOptions } from '../shared/mongo-options.js';
import { assertBlobKey, type BlobStore } from '../../application/ports/blob-store.port.js';

interface BlobMetadata {
  subject: string;
  blobId: string;
}

/**
 * Blobs in MongoDB GridFS (the production adapter): bucket `sys_blobs`, one file per blob named
 * `<subject>/<id>`, with the subject in its metadata so that `deleteSubject` finds them all. A put
 * uploads the new file before it deletes older files of the same name, so a reader always finds one.
 */
export class GridFsBlobStore implements BlobStore {
  private readonly bucket: GridFSBucket;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: 'sys_blobs' });
  }

  static async connect(url: string, dbName: string | undefined): Promise<GridFsBlobStore> {
    const client = new MongoClient(url, mongoClientOptions(url));
    await client.connect();
    const store = new GridFsBlobStore(client, client.db(dbName));
    await store.db.collection('sys_blobs.files').createIndex({ 'metadata.subject': 1 });
    return store;
  }

  private static nameOf(subject: string, id: string): string {
    assertBlobKey(subject, id);
    return `${subject}/${id}`;
  }

  async put(subject: string, id: string, bytes: Buffer): Promise<void> {
    const filename = GridFsBlobStore.nameOf(subject, id);
    const older = await this.bucket.find({ filename: { $eq: filename } }).toArray();
    const metadata: BlobMetadata = { subject, blobId: id };
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket.openUploadStream(filename, { metadata });
      upload.once('error', reject).once('finish', () => resolve());
      upload.end(bytes);
    });
    for (const file of older) await this.bucket.delete(file._id);
  }

  async get(subject: string, id: string): Promise<Buffer | null> {
    const filename = GridFsBlobStore.nameOf(subject, id);
    const [file] = await this.bucket
      .find({ filename: { $eq: filename } })
      .sort({ uploadDate: -1 })
      .limit(1)
      .toArray();
    if (!file) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async delete(subject: string, id: string): Promise<void> {
    const filename = GridFsBlobStore.nameOf(subject, id);
    for (const file of await this.bucket.find({ filename: { $eq: filename } }).toArray())
      await this.bucket.delete(file._id);
  }

  async deleteSubject(subject: string): Promise<number> {
    assertBlobKey(subject);
    const files = await this.bucket.find({ 'metadata.subject': { $eq: subject } }).toArray();
    for (const file of files) await this.bucket.delete(file._id);
    return new Set(files.map((f) => (f.metadata as BlobMetadata | undefined)?.blobId)).size;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
