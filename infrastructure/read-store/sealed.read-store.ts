import type { BlindIndex } from '../../application/ports/blind-index.port.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import type { Lease, LeaseToken } from '../../application/ports/lease-store.port.js';
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
import { envelopeSubject, isEnvelope, mapPath, open, seal, visitPath } from '../privacy/field-cipher.js';

/** Where a sealed value was: its document's `_sealed` envelope holds it. */
const SEALED = '[sealed]';
const SEALED_FIELD = '_sealed';
const contextOf = (model: string, id: string) => `doc\0${model}\0${id}`;
const isTopLevel = (path: string) => !path.includes('.') && !path.endsWith('[]');

/** A rebuild's shadow collection (`customers__rebuild`) holds the documents of the read model it replaces. */
const REBUILD = '__rebuild';
const readModelOf = (collection: string) =>
  collection.endsWith(REBUILD) ? collection.slice(0, -REBUILD.length) : collection;

/**
 * The read store with personal fields encrypted (a decorator of either adapter): documents of the
 * read models named in `fields` have their personal values sealed under the subject's key before
 * they are written, and opened when they are read, so projections and queries see plain values and
 * the store's files never hold them. A document's personal values share one envelope (`_sealed`). Sealing is deterministic (see field-cipher.ts): a rebuilt read
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

  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    return this.inner.acquireLease(name, holder, now, ttlMs);
  }

  renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<Lease | null> {
    return this.inner.renewLease(token, now, ttlMs);
  }

  releaseLease(token: LeaseToken, options?: { forget?: boolean }): Promise<void> {
    return this.inner.releaseLease(token, options);
  }

  listLeases(prefix: string): Promise<Lease[]> {
    return this.inner.listLeases(prefix);
  }

  pruneLeases(prefix: string, before: number): Promise<number> {
    return this.inner.pruneLeases(prefix, before);
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

  /**
   * The document as stored: blind-index fields added, and its personal values sealed together in one
   * envelope (`_sealed`, one cipher operation per document), each left in place as `[sealed]`.
   */
  async seal<T extends Doc>(collection: string, doc: T): Promise<T> {
    const model = readModelOf(collection);
    const declared = this.fields[model];
    const subject = declared?.subject(doc);
    if (!declared || !subject) return doc;
    const values: Record<string, unknown> = {};
    for (const path of declared.sealed)
      visitPath(doc, path, (value, at) => {
        if (value !== null && value !== undefined && value !== SEALED && value !== ERASED) values[at] = value;
      });
    const { [SEALED_FIELD]: _old, ...rest } = doc as Record<string, unknown>;
    // Nothing in plain text: nothing to seal (a document as stored, with its envelope, stays as it is).
    if (Object.keys(values).length === 0) return (_old === undefined ? rest : doc) as T;
    const key = await this.vault.key(subject);
    let out: Record<string, unknown> = rest;
    for (const blind of declared.blind ?? []) {
      delete out[blind.into];
      const value = doc[blind.from];
      if (key.status !== 'active' || typeof value !== 'string') continue;
      out[blind.into] = blind.words
        ? wordsOf(value).map((w) => this.index.of(blind.purpose, w))
        : this.index.of(blind.purpose, value);
    }
    for (const path of declared.sealed)
      out = mapPath(out, path, (value, at) =>
        at in values ? (key.status === 'active' ? SEALED : ERASED) : value,
      ) as Record<string, unknown>;
    if (key.status === 'active') out[SEALED_FIELD] = seal(key.key, subject, contextOf(model, doc._id), values, true);
    return out as T;
  }

  /** The document as the application sees it: personal values opened (or `[erased]`), blind fields left out. */
  async open<T extends Doc>(collection: string, doc: T): Promise<T> {
    const model = readModelOf(collection);
    const declared = this.fields[model];
    if (!declared) return doc;
    const stored = doc as Record<string, unknown>;
    const envelope = stored[SEALED_FIELD];
    let values: Record<string, unknown> | null = null;
    if (isEnvelope(envelope)) {
      const found = await this.vault.peek(envelopeSubject(envelope) ?? '');
      if (found.status === 'active')
        values = open(found.key, contextOf(model, doc._id), envelope) as Record<string, unknown>;
    }
    const { hidden, topLevel, nested } = this.shapeOf(model, declared);
    const reveal = (value: unknown, at: string) =>
      value === SEALED ? (values ? (values[at] ?? null) : ERASED) : value;
    // One copy, built without the envelope and the blind fields (deleting them would make V8 turn the
    // object into a slow dictionary, which every later read and the serializer pay for).
    let out: Record<string, unknown> = {};
    for (const key in stored) if (!hidden.has(key)) out[key] = stored[key];
    for (const path of topLevel) if (path in out) out[path] = reveal(out[path], path);
    for (const path of nested) out = mapPath(out, path, reveal) as Record<string, unknown>;
    return out as T;
  }

  private readonly shapes = new Map<string, { hidden: Set<string>; topLevel: string[]; nested: string[] }>();

  /** What `open` leaves out and where it looks, per read model (worked out once). */
  private shapeOf(model: string, declared: PersonalDocFields) {
    let shape = this.shapes.get(model);
    if (!shape) {
      shape = {
        hidden: new Set([SEALED_FIELD, ...(declared.blind ?? []).map((b) => b.into)]),
        topLevel: declared.sealed.filter(isTopLevel),
        nested: declared.sealed.filter((path) => !isTopLevel(path)),
      };
      this.shapes.set(model, shape);
    }
    return shape;
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
