import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventSchema } from '../../../domain/events.js';
import { CodedEventStore, EventCodec } from '../../../infrastructure/event-store/event-codec.js';
import { GENESIS_HASH, chainHash, linkOf, type ChainedFields } from '../../../infrastructure/event-store/hash-chain.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { MerkleTree, leafHash, merkleRoot } from '../../../infrastructure/audit/merkle.js';
import { newEvent } from '../../support/fixtures.js';

const stock = (delta: number) => newEvent({ type: 'ProductStockAdjusted', data: { productId: 'p1', delta, stock: 1 } });

describe('the hash chain in the event codec', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let coded: CodedEventStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-chain-'));
    raw = new SqliteEventStore(path.join(dir, 'events.db'));
    coded = new CodedEventStore(raw, new EventCodec(eventSchema));
  });
  afterEach(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every stored event's hash is its content's and its prev the hash of the event before it. */
  async function expectChained(streamId: string, length: number) {
    const stored = await raw.readStream(streamId);
    expect(stored).toHaveLength(length);
    let prev = GENESIS_HASH;
    for (const event of stored) {
      const link = linkOf(event);
      expect(link?.prev).toBe(prev);
      expect(chainHash(prev, event as ChainedFields)).toBe(link?.hash);
      prev = link!.hash;
    }
    return stored;
  }

  it('chains each event to the one before it in its stream, over the event as stored', async () => {
    await coded.append('product-p1', [stock(1), stock(2)], 'no_stream');
    await coded.append('product-p1', [stock(3)], 1n);
    await coded.append('product-p2', [stock(4)], 'no_stream');
    const stored = await expectChained('product-p1', 3);
    await expectChained('product-p2', 1);
    // The application reads the hash beside the event, and metadata without the link.
    const read = await coded.readStream('product-p1');
    expect(read.map((e) => e.hash)).toEqual(stored.map((e) => linkOf(e)!.hash));
    expect(read[0].metadata).not.toHaveProperty('chain');
    expect((await coded.readAll()).map((e) => e.hash)).toEqual([...read.map((e) => e.hash), expect.any(String)]);
  });

  it('chains the next append to the stored event after an idempotent repeat that wrote nothing', async () => {
    const first = stock(1);
    await coded.append('product-p1', [first], 'no_stream');
    // The same id again at the same expected revision (a retry: its metadata differs, occurredAt say):
    // the store answers the first append's result and keeps the first event.
    // It comes to another process (or this one after a restart): a chain that has not seen the first.
    const elsewhere = new CodedEventStore(raw, new EventCodec(eventSchema));
    const retry = { ...first, metadata: { ...first.metadata, occurredAt: '2031-01-01T00:00:00.000Z' } };
    await elsewhere.append('product-p1', [retry], 'no_stream');
    await elsewhere.append('product-p1', [stock(2)], 0n);
    await expectChained('product-p1', 2);
  });

  it('covers id, stream, revision, type, data and metadata: changing any one changes the hash', async () => {
    await coded.append('product-p1', [stock(1)], 'no_stream');
    const [event] = await raw.readStream('product-p1');
    const base = event as ChainedFields;
    const hash = chainHash(GENESIS_HASH, base);
    const variants: ChainedFields[] = [
      { ...base, id: 'another' },
      { ...base, streamId: 'product-p9' },
      { ...base, revision: 1n },
      { ...base, type: 'ProductRetired' },
      { ...base, data: { ...(base.data as object), delta: 2 } },
      { ...base, metadata: { ...base.metadata, reason: 'forged' } },
    ];
    for (const variant of variants) expect(chainHash(GENESIS_HASH, variant)).not.toBe(hash);
    expect(chainHash('f'.repeat(64), base)).not.toBe(hash);
    // Key order and spacing of the stored JSON do not matter (RFC 8785 canonical form).
    const reordered = { ...base, data: Object.fromEntries(Object.entries(base.data as object).reverse()) };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(hash);
  });

  it('chains appends with `any` and `stream_exists`, also when they race each other', async () => {
    await coded.append('product-p1', [stock(0)], 'no_stream');
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => coded.append('product-p1', [stock(i)], 'any')),
      ...Array.from({ length: 5 }, (_, i) => coded.append('product-p1', [stock(i)], 'stream_exists')),
    ]);
    await expectChained('product-p1', 16);
    await expect(coded.append('product-none', [stock(1)], 'stream_exists')).rejects.toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
    });
  });

  it('chains appends queued in one tick, each after the one before it (one group commit)', async () => {
    await Promise.all([
      coded.append('product-p1', [stock(0)], 'no_stream'),
      coded.append('product-p1', [stock(1)], 0n),
      coded.append('product-p1', [stock(2), stock(3)], 1n),
      coded.append('product-p1', [stock(4)], 3n),
    ]);
    await expectChained('product-p1', 5);
  });

  it('keeps an idempotent repeat idempotent: the same events at the same expected revision write nothing', async () => {
    const events = [stock(1), stock(2)];
    const first = await coded.append('product-p1', events, 'no_stream');
    const again = await coded.append('product-p1', events, 'no_stream');
    expect(again).toEqual({ ...first, wrote: false });
    await expectChained('product-p1', 2);
  });

  it('chains through a second codec over the same file (another process) as through the first', async () => {
    await coded.append('product-p1', [stock(1)], 'no_stream');
    const other = new CodedEventStore(raw, new EventCodec(eventSchema)); // nothing cached
    await other.append('product-p1', [stock(2)], 0n);
    await expectChained('product-p1', 2);
  });
});

describe('the Merkle tree over the chain heads', () => {
  const leaf = (i: number, rev = 0) => leafHash(`s-${i}`, String(rev), String(i).padStart(64, '0'));

  it('keeps the root of a tree built from scratch as leaves are appended and changed', () => {
    const tree = new MerkleTree();
    const leaves: Buffer[] = [];
    expect(tree.root()).toBe(merkleRoot([]));
    for (let i = 0; i < 37; i++) {
      leaves.push(leaf(i));
      tree.set(i, leaf(i));
      expect(tree.root()).toBe(merkleRoot(leaves));
    }
    for (const i of [0, 36, 17, 5]) {
      leaves[i] = leaf(i, 1);
      tree.set(i, leaves[i]);
      expect(tree.root()).toBe(merkleRoot(leaves));
    }
    expect(() => tree.set(99, leaf(99))).toThrow();
  });
});
