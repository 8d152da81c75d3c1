/** The lease contract of the read store: what every adapter answers (SQLite always, MongoDB when MONGODB_URL is set). */
import { randomUUID } from 'node:crypto';
import { LeaseLostError } from '../../application/ports/lease-store.port.js';
import { CheckpointConflictError, type ReadStore } from '../../application/ports/read-store.port.js';

export interface LeaseStoreOpening {
  store: ReadStore;
  /** Another connection to the same store, as another projector process has (the test closes it). */
  reopen: () => Promise<ReadStore>;
  cleanup: () => Promise<void>;
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const TTL = 10_000;

export function leaseStoreContract(name: string, open: () => Promise<LeaseStoreOpening>): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let store: ReadStore;
    let other: ReadStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      let reopen: () => Promise<ReadStore>;
      ({ store, reopen, cleanup } = await open());
      other = await reopen();
    });
    afterAll(async () => {
      await other.close();
      await cleanup();
    });

    /** Each test has leases of its own. */
    let prefix: string;
    let lease: string;
    beforeEach(() => {
      prefix = `t-${randomUUID().slice(0, 8)}:`;
      lease = `${prefix}orders`;
    });

    it('gives a free lease to the first who asks, epoch 1, and refuses it to others while it lives', async () => {
      const a = await store.acquireLease(lease, 'A', T0, TTL);
      expect(a).toEqual({ name: lease, holder: 'A', epoch: 1, expiresAt: T0 + TTL });
      expect(await other.acquireLease(lease, 'B', T0 + TTL - 1, TTL)).toBeNull();
      expect(await store.listLeases(prefix)).toEqual([a]);
    });

    it('renews for its holder (same epoch, later expiry), and acquiring it again is a renewal', async () => {
      const a = (await store.acquireLease(lease, 'A', T0, TTL))!;
      expect(await store.renewLease(a, T0 + 5000, TTL)).toEqual({ ...a, expiresAt: T0 + 5000 + TTL });
      expect(await store.acquireLease(lease, 'A', T0 + 6000, TTL)).toEqual({ ...a, expiresAt: T0 + 6000 + TTL });
      // renewed: still A's after the first expiry
      expect(await other.acquireLease(lease, 'B', T0 + TTL + 1, TTL)).toBeNull();
    });

    it('lets another take an expired lease, with the next epoch; the old holder can renew it no more', async () => {
      const a = (await store.acquireLease(lease, 'A', T0, TTL))!;
      const b = await other.acquireLease(lease, 'B', T0 + TTL, TTL);
      expect(b).toEqual({ name: lease, holder: 'B', epoch: 2, expiresAt: T0 + 2 * TTL });
      expect(await store.renewLease(a, T0 + TTL + 1, TTL)).toBeNull();
      expect(await store.acquireLease(lease, 'A', T0 + TTL + 1, TTL)).toBeNull();
      // and back to A once B's has expired: epoch 3
      expect((await store.acquireLease(lease, 'A', T0 + 3 * TTL, TTL))?.epoch).toBe(3);
    });

    it('renews an expired lease nobody took (same epoch)', async () => {
      const a = (await store.acquireLease(lease, 'A', T0, TTL))!;
      expect(await store.renewLease(a, T0 + 2 * TTL, TTL)).toEqual({ ...a, expiresAt: T0 + 3 * TTL });
    });

    it('gives exactly one of two racing takers the lease', async () => {
      const results = await Promise.all([
        store.acquireLease(lease, 'A', T0, TTL),
        other.acquireLease(lease, 'B', T0, TTL),
        store.acquireLease(lease, 'C', T0, TTL),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('frees a released lease at once (keeping its epoch), and forgets it when asked', async () => {
      const a = (await store.acquireLease(lease, 'A', T0, TTL))!;
      await other.releaseLease({ ...a, holder: 'B' }); // not B's: nothing happens
      expect(await other.acquireLease(lease, 'B', T0 + 1, TTL)).toBeNull();
      await store.releaseLease(a);
      const b = (await other.acquireLease(lease, 'B', T0 + 1, TTL))!;
      expect(b.epoch).toBe(2);
      await other.releaseLease(b, { forget: true });
      expect(await store.listLeases(prefix)).toEqual([]);
    });

    it('prunes the leases under a prefix that expired before a time', async () => {
      await store.acquireLease(`${prefix}m1`, 'A', T0, TTL);
      await store.acquireLease(`${prefix}m2`, 'B', T0 + 5 * TTL, TTL);
      await store.acquireLease(`x${prefix}m3`, 'C', T0, TTL);
      expect(await store.pruneLeases(prefix, T0 + 2 * TTL)).toBe(1);
      expect((await store.listLeases(prefix)).map((l) => l.holder)).toEqual(['B']);
      expect((await store.listLeases(`x${prefix}`)).map((l) => l.holder)).toEqual(['C']);
    });

    it('fences a stale holder: its commit writes nothing once another took the lease over', async () => {
      const collection = `lease_${randomUUID().slice(0, 8)}`;
      await store.ensureCollection({ name: collection });
      const checkpoint = `${prefix}cp`;
      const a = (await store.acquireLease(lease, 'A', T0, TTL))!;
      await store.commit({
        checkpoint,
        expected: null,
        next: 1n,
        lease: a,
        writes: [{ collection, id: 'd1', doc: { _id: 'd1', by: 'A' } }],
      });
      // A pauses past its expiry; B takes over and commits the next batch
      const b = (await other.acquireLease(lease, 'B', T0 + TTL, TTL))!;
      // A resumes with the batch it had in hand: refused, although its checkpoint is still the stored one
      const stale = store.commit({
        checkpoint,
        expected: 1n,
        next: 2n,
        lease: a,
        writes: [{ collection, id: 'd2', doc: { _id: 'd2', by: 'A' } }],
      });
      await expect(stale).rejects.toBeInstanceOf(LeaseLostError);
      await expect(stale).rejects.toMatchObject({ code: 'LEASE_LOST', actual: { holder: 'B', epoch: 2 } });
      expect(await store.getCheckpoint(checkpoint)).toBe(1n);
      expect(await store.collection(collection).findById('d2')).toBeNull();
      await other.commit({
        checkpoint,
        expected: 1n,
        next: 2n,
        lease: b,
        writes: [{ collection, id: 'd2', doc: { _id: 'd2', by: 'B' } }],
      });
      expect(await store.collection(collection).findById('d2')).toEqual({ _id: 'd2', by: 'B' });
      // the checkpoint compare still holds beside the lease
      await expect(other.commit({ checkpoint, expected: 1n, next: 3n, lease: b, writes: [] })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      await store.dropCollection(collection);
    });

    it('refuses a commit under a lease that does not exist', async () => {
      const token = { name: `${prefix}none`, holder: 'A', epoch: 1 };
      await expect(
        store.commit({ checkpoint: `${prefix}cp`, expected: null, next: 1n, lease: token, writes: [] }),
      ).rejects.toMatchObject({ actual: null, code: 'LEASE_LOST' });
      expect(await store.getCheckpoint(`${prefix}cp`)).toBeNull();
    });
  });
}
