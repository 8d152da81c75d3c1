import type { BlindIndex } from '../../application/ports/blind-index.port.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import type {
  CollectionSpec,
  CommitBatch,
  Doc,
  Filter,
  Page,
  PageOptions,
  ReadCollection,
  ReadStore,
  Sort,
} from '../../application/ports/read-store.port.js';
import { wordsOf, type PersonalDocFields } from '../../application/privacy/personal-documents.js';
import { ERASED } from '../../domain/shared/personal-data.js';
import { envelopeSubject, isEnvelope, mapPath, open, seal } from '../privacy/field-cipher.js';

/** A rebuild's shadow collection (`customers__rebuild`) holds the documents of the read model it replaces. */
const readModelOf = (collection: string) => collection.replace(/__rebuild$/, '');

/**
 * The read store with personal fields encrypted (a decorator of either adapter): documents of the
 * read models named in `fields` have their personal values sealed under the subject's key before
 * they are written, and opened when they are read, so projections and queries see plain values and
 * the store's files never hold them. Sealing is deterministic (see field-cipher.ts): a rebuilt read
 * model is the same as the live one. Blind-index fields are derived before sealing; a value of an
 * erased subject reads (and is written) as `[erased]`.
 */
export class SealedReadStore implements ReadStore {
  constructor(
    private readonly inner: ReadStore,
    private readonly fields: Readonly<Record<string, PersonalDocFields>>,
    private readonly vault: KeyVault,
    private readonly index: BlindIndex,
  ) {}

  ensureCollection(spec: CollectionSpec): Promise<void> {
    return this.inner.ensureCollection(spec);
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    const declared = this.fields[readModelOf(name)];
    const inner = this.inner.collection<T>(name);
    return declared
      ? new SealedCollection<T>(
          inner,
          (doc) => this.seal(name, doc),
          (doc) => this.open(name, doc),
        )
      : inner;
  }

  async commit(batch: CommitBatch): Promise<void> {
    const writes = await Promise.all(
      batch.writes.map(async (w) => (w.doc ? { ...w, doc: await this.seal(w.collection, w.doc) } : w)),
    );
    return this.inner.commit({ ...batch, writes });
  }

  getCheckpoint(name: string): Promise<bigint | null> {
    return this.inner.getCheckpoint(name);
  }

  promote(renames: Array<{ from: string; to: string }>, fromCheckpoint: string, toCheckpoint: string): Promise<void> {
    return this.inner.promote(renames, fromCheckpoint, toCheckpoint);
  }

  dropCollection(name: string): Promise<void> {
    return this.inner.dropCollection(name);
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.inner.deleteCheckpoint(name);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The document as stored: blind-index fields added, personal values sealed. */
  async seal<T extends Doc>(collection: string, doc: T): Promise<T> {
    const model = readModelOf(collection);
    const declared = this.fields[model];
    const subject = declared?.subject(doc);
    if (!declared || !subject) return doc;
    const present = declared.sealed.some((path) => {
      let found = false;
      mapPath(doc, path, (v) => ((found ||= v !== null && v !== undefined && !isEnvelope(v)), v));
      return found;
    });
    if (!present) return doc;
    const key = await this.vault.key(subject);
    let out: Record<string, unknown> = { ...doc };
    for (const blind of declared.blind ?? []) {
      delete out[blind.into];
      const value = doc[blind.from];
      if (key.status !== 'active' || typeof value !== 'string' || value === ERASED) continue;
      out[blind.into] = blind.words
        ? wordsOf(value).map((w) => this.index.of(blind.purpose, w))
        : this.index.of(blind.purpose, value);
    }
    for (const path of declared.sealed) {
      out = mapPath(out, path, (value, at) => {
        if (value === null || value === undefined || isEnvelope(value)) return value;
        if (key.status !== 'active') return ERASED;
        return seal(key.key, subject, `doc\0${model}\0${doc._id}\0${at}`, value, true);
      }) as Record<string, unknown>;
    }
    return out as T;
  }

  /** The document as the application sees it: personal values opened (or `[erased]`), blind fields left out. */
  async open<T extends Doc>(collection: string, doc: T): Promise<T> {
    const model = readModelOf(collection);
    const declared = this.fields[model];
    if (!declared) return doc;
    let out: Record<string, unknown> = { ...doc };
    for (const blind of declared.blind ?? []) delete out[blind.into];
    const keys = new Map<string, Buffer | null>();
    for (const path of declared.sealed) {
      const sealed: string[] = [];
      mapPath(out, path, (v) => (isEnvelope(v) && sealed.push(v), v));
      for (const envelope of sealed) {
        const subject = envelopeSubject(envelope) ?? '';
        if (keys.has(subject)) continue;
        const found = await this.vault.peek(subject);
        keys.set(subject, found.status === 'active' ? found.key : null);
      }
      out = mapPath(out, path, (value, at) => {
        if (!isEnvelope(value)) return value;
        const key = keys.get(envelopeSubject(value) ?? '');
        return key ? open(key, `doc\0${model}\0${doc._id}\0${at}`, value) : ERASED;
      }) as Record<string, unknown>;
    }
    return out as T;
  }
}

class SealedCollection<T extends Doc> implements ReadCollection<T> {
  constructor(
    private readonly inner: ReadCollection<T>,
    private readonly sealDoc: (doc: T) => Promise<T>,
    private readonly openDoc: (doc: T) => Promise<T>,
  ) {}

  private async one(doc: Promise<T | null>): Promise<T | null> {
    const found = await doc;
    return found && this.openDoc(found);
  }

  private async all(docs: Promise<T[]>): Promise<T[]> {
    return Promise.all((await docs).map((d) => this.openDoc(d)));
  }

  findById(id: string): Promise<T | null> {
    return this.one(this.inner.findById(id));
  }

  findByIds(ids: readonly string[]): Promise<T[]> {
    return this.all(this.inner.findByIds(ids));
  }

  findOne(filter: Filter): Promise<T | null> {
    return this.one(this.inner.findOne(filter));
  }

  find(filter: Filter, options?: { sort?: Sort; limit?: number }): Promise<T[]> {
    return this.all(this.inner.find(filter, options));
  }

  async findPage(filter: Filter, options?: PageOptions): Promise<Page<T>> {
    const page = await this.inner.findPage(filter, options);
    return { ...page, items: await Promise.all(page.items.map((d) => this.openDoc(d))) };
  }

  count(filter?: Filter): Promise<number> {
    return this.inner.count(filter);
  }

  async put(doc: T): Promise<void> {
    return this.inner.put(await this.sealDoc(doc));
  }

  async insertIfAbsent(doc: T): Promise<boolean> {
    return this.inner.insertIfAbsent(await this.sealDoc(doc));
  }

  delete(id: string): Promise<void> {
    return this.inner.delete(id);
  }
}
