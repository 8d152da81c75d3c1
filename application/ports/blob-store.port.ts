/**
 * The blob store port: the bytes of uploaded files (customers' identity documents, damage photos),
 * each under its id and its data subject (`customer:<id>`: a photo belongs to its order's customer).
 * What the application is given (BLOB_STORE) encrypts every blob under the subject's key from the key
 * vault before an adapter sees it, so erasure (the key destroyed) makes every copy unreadable, and
 * `deleteSubject` removes the bytes too. Ids and subjects are the store's keys, never file names from
 * a request. Adapters: files under DATA_DIR (embedded) and MongoDB GridFS (production), proven
 * alike by one contract suite (tests/contract/blob-store.contract.ts).
 *
 * - `put` stores the bytes (a second put of the same id replaces them).
 * - `get` answers the bytes, or null when there are none (never stored, deleted, or the subject erased).
 * - `deleteSubject` removes every blob of the subject and answers how many.
 */
export const BLOB_STORE = Symbol('BlobStore');

export interface BlobStore {
  put(subject: string, id: string, bytes: Buffer): Promise<void>;
  get(subject: string, id: string): Promise<Buffer | null>;
  delete(subject: string, id: string): Promise<void>;
  deleteSubject(subject: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Blob ids are generated ids (letters, digits, dashes); a subject is `<kind>:<id>` of the same. */
const ID = /^[A-Za-z0-9-]{1,128}$/;
const SUBJECT = /^[a-z]+:[A-Za-z0-9-]{1,128}$/;

/** Refuses anything that is not an id or a subject, so that no caller's text becomes a path or a query. */
export function assertBlobKey(subject: string, id?: string): void {
  if (!SUBJECT.test(subject)) throw new Error('Not a data subject');
  if (id !== undefined && !ID.test(id)) throw new Error('Not a blob id');
}
