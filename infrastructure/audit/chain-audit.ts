/**
 * The AuditChain port over the events as stored (the adapter under the codec: ciphertext where the
 * codec encrypted, the chain links in the metadata). `verify` recomputes every link and checks every
 * checkpoint; `draftCheckpoint` states the heads that moved since the last checkpoint, signed.
 */
import type {
  AuditChain,
  BrokenLink,
  CheckpointDraft,
  VerifyOptions,
  VerifyReport,
} from '../../application/ports/audit-chain.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import {
  CHECKPOINT_LOG,
  checkpointStream,
  type AuditCheckpointRecorded,
  type ChainHead,
  type CheckpointBody,
} from '../../domain/audit/checkpoint.events.js';
import { canonicalJson } from '../event-store/canonical-json.js';
import { GENESIS_HASH, chainHash, linkOf, type ChainedFields } from '../event-store/hash-chain.js';
import type { AuditSigner } from './ed25519.signer.js';
import { MerkleTree, leafHash } from './merkle.js';

const PAGE = 1000;
/** Heads one checkpoint lists at most (about 200 bytes each, well inside one append). */
export const MAX_CHECKPOINT_HEADS = 2000;
export const CHECKPOINT_STREAM = checkpointStream(CHECKPOINT_LOG);

export const signedMessage = (body: CheckpointBody): string => canonicalJson(body);

interface Head {
  revision: bigint;
  position: bigint;
  hash: string;
  leaf: number;
}

/**
 * Every chain's head and the Merkle tree over them, as of `at`. Heads move once per event; the tree
 * takes the moved heads only when a root is asked for (a head that moved a thousand times between
 * two checkpoints costs one leaf update). The checkpoint log is chained like every stream (its head
 * is tracked, so its links are checked), but it is no leaf of the tree: a checkpoint states the heads
 * of the other chains, never its own log's, so the tree the drafter signs and the tree verify
 * rebuilds must both leave it out (verify once counted it, and every checkpoint after the first one
 * failed with "a Merkle root over N chains is not the one of the log's N+1").
 */
class Heads {
  readonly heads = new Map<string, Head>();
  private readonly tree = new MerkleTree();
  private readonly moved = new Set<string>();
  private leaves = 0;
  at = 0n;

  move(streamId: string, revision: bigint, position: bigint, hash: string): void {
    const inTree = streamId !== CHECKPOINT_STREAM;
    const leaf = this.heads.get(streamId)?.leaf ?? (inTree ? this.leaves++ : -1);
    this.heads.set(streamId, { revision, position, hash, leaf });
    if (inTree) this.moved.add(streamId);
  }

  get size(): number {
    return this.leaves;
  }

  root(): string {
    const moved = [...this.moved].map((id) => [id, this.heads.get(id)!] as const).sort((a, b) => a[1].leaf - b[1].leaf);
    for (const [streamId, head] of moved)
      this.tree.set(head.leaf, leafHash(streamId, String(head.revision), head.hash));
    this.moved.clear();
    return this.tree.root();
  }
}

type Checkpoint = RecordedEvent<AuditCheckpointRecorded['data']>;

export class ChainAudit implements AuditChain {
  private drafted: Heads | null = null;

  constructor(
    /** The adapter under the codec: events as stored. */
    private readonly raw: EventStore,
    private readonly signer: AuditSigner,
    private readonly clock: Clock,
  ) {}

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const from = options.fromPosition ?? 0n;
    const checkpoints = (await this.raw.readStream(CHECKPOINT_STREAM)) as Checkpoint[];
    const pending = checkpoints.filter((c) => BigInt(c.data.toPosition) > from || from === 0n);
    const heads = new Heads();
    const recorded = new Map<string, ChainHead>();
    let checked = 0;
    let checkedCheckpoints = 0;
    let last: RecordedEvent | null = null;
    let broken: BrokenLink | undefined;
    const evaluateUpTo = (position: bigint | null) => {
      while (!broken && pending.length > 0 && (position === null || BigInt(pending[0].data.toPosition) < position)) {
        broken = this.checkCheckpoint(pending.shift()!, heads, recorded, from === 0n);
        checkedCheckpoints++;
      }
    };
    let after = from;
    scan: for (;;) {
      const page = await this.raw.readAll({ after, maxCount: PAGE });
      for (const event of page) {
        evaluateUpTo(event.position);
        if (broken) break scan;
        broken = await this.checkEvent(event, heads, from);
        if (broken) break scan;
        last = event;
        checked++;
        after = event.position;
      }
      options.onProgress?.(checked);
      if (page.length < PAGE) break;
    }
    evaluateUpTo(null);
    const lastCheckpoint = checkpoints.at(-1)?.data;
    return {
      ok: broken === undefined,
      checkedEvents: checked,
      head: last ? { position: String(last.position), hash: linkOf(last)?.hash ?? null } : null,
      checkpoints: {
        checked: checkedCheckpoints,
        last: lastCheckpoint
          ? {
              sequence: lastCheckpoint.sequence,
              toPosition: lastCheckpoint.toPosition,
              signedAt: lastCheckpoint.signedAt,
            }
          : null,
      },
      ...(broken ? { firstBroken: broken } : {}),
      fromPosition: String(from),
      verifiedAt: this.clock.now().toISOString(),
    };
  }

  /** One event in the log's order: in its stream's order, linked to the one before it, its hash its content's. */
  private async checkEvent(event: RecordedEvent, heads: Heads, from: bigint): Promise<BrokenLink | undefined> {
    const at = (reason: BrokenLink['reason'], detail: string, revision = event.revision): BrokenLink => ({
      streamId: event.streamId,
      revision: Number(revision),
      position: String(event.position),
      reason,
      detail,
    });
    const link = linkOf(event);
    if (!link) return at('inserted', 'the event has no chain link: it was not written through the event codec');
    const before = heads.heads.get(event.streamId);
    if (before && event.revision <= before.revision)
      return at('reordered', `revision ${event.revision} comes after revision ${before.revision} in the log`);
    const wanted = before ? before.revision + 1n : from === 0n ? 0n : event.revision;
    if (event.revision > wanted) return this.missing(event, wanted);
    const expectedPrev = before ? before.hash : from === 0n ? GENESIS_HASH : link.prev;
    const hash = chainHash(link.prev, event as ChainedFields);
    if (link.prev !== expectedPrev || hash !== link.hash) {
      const reason = await this.classify(event, link, hash, expectedPrev);
      return at(reason.reason, reason.detail, reason.revision ?? event.revision);
    }
    heads.move(event.streamId, event.revision, event.position, link.hash);
    return undefined;
  }

  /** Revision `wanted` should come next in the log: later in it (reordered), or nowhere (removed). */
  private async missing(event: RecordedEvent, wanted: bigint): Promise<BrokenLink> {
    const [found] = await this.raw.readStream(event.streamId, { fromRevision: wanted, maxCount: 1 });
    const later = found && found.revision === wanted && found.position > event.position;
    return {
      streamId: event.streamId,
      revision: Number(wanted),
      position: String(later ? found.position : event.position),
      reason: later ? 'reordered' : 'removed',
      detail: later
        ? `revision ${wanted} comes after revision ${event.revision} in the log`
        : `revision ${wanted} is missing (revision ${event.revision} follows)`,
    };
  }

  /** Why the chain breaks at this event, judged from the whole stream as stored. */
  private async classify(
    event: RecordedEvent,
    link: { prev: string; hash: string },
    hash: string,
    expectedPrev: string,
  ): Promise<{ reason: BrokenLink['reason']; detail: string; revision?: bigint }> {
    if (link.prev === expectedPrev)
      return { reason: 'changed', detail: `its content does not hash to its recorded hash (${hash} != ${link.hash})` };
    const rows = await this.raw.readStream(event.streamId);
    const twoBefore = rows.find((r) => r.revision === event.revision - 2n);
    if (twoBefore && linkOf(twoBefore)?.hash === link.prev && event.revision >= 2n)
      return {
        reason: 'inserted',
        detail: `revision ${event.revision - 1n} is not the event revision ${event.revision} was chained to`,
        revision: event.revision - 1n,
      };
    if (event.revision === 1n && link.prev === GENESIS_HASH)
      return { reason: 'inserted', detail: 'revision 0 is not the event revision 1 was chained to', revision: 0n };
    if (rows.some((r) => r !== event && linkOf(r)?.hash === link.prev))
      return {
        reason: 'reordered',
        detail: 'the event was chained to another event of its stream than the one before it',
      };
    return { reason: 'removed', detail: 'the event it was chained to is no longer in the stream' };
  }

  /** A checkpoint: its signature by a trusted key, the heads it lists, and (from position 0) its Merkle root. */
  private checkCheckpoint(
    checkpoint: Checkpoint,
    heads: Heads,
    recorded: Map<string, ChainHead>,
    full: boolean,
  ): BrokenLink | undefined {
    const { signature, ...body } = checkpoint.data;
    const fail = (detail: string): BrokenLink => ({
      streamId: checkpoint.streamId,
      revision: Number(checkpoint.revision),
      position: String(checkpoint.position),
      reason: 'checkpoint',
      detail: `checkpoint ${body.sequence}: ${detail}`,
    });
    const verdict = this.signer.verify(signedMessage(body), signature, body.publicKey);
    if (verdict !== 'valid')
      return fail(verdict === 'untrusted' ? `signed by key ${body.keyId}, not a trusted key` : 'bad signature');
    for (const head of body.heads) {
      recorded.set(head.streamId, head);
      const now = heads.heads.get(head.streamId);
      if (!now && !full) continue; // a stream not seen since `fromPosition`: nothing to compare
      const wanted = BigInt(head.revision);
      const where = `checkpoint ${body.sequence} recorded revision ${head.revision} at position ${head.position}`;
      if (!now || now.revision < wanted)
        return {
          streamId: head.streamId,
          revision: now ? Number(now.revision + 1n) : 0,
          position: null,
          reason: 'removed',
          detail: `${where}; the stream ends at ${now ? `revision ${now.revision}` : 'nothing'} there`,
        };
      if (now.revision > wanted)
        return {
          streamId: head.streamId,
          revision: Number(wanted + 1n),
          position: null,
          reason: 'inserted',
          detail: `${where}; the stream has revision ${now.revision} there`,
        };
      if (now.hash !== head.hash)
        return {
          streamId: head.streamId,
          revision: Number(wanted),
          position: head.position,
          reason: 'changed',
          detail: `${where} with another hash`,
        };
    }
    if (full) {
      for (const [streamId, head] of recorded) {
        const now = heads.heads.get(streamId);
        if (!now || now.revision < BigInt(head.revision))
          return {
            streamId,
            revision: now ? Number(now.revision + 1n) : 0,
            position: null,
            reason: 'removed',
            detail: `checkpoints recorded revision ${head.revision}; the stream ends at ${now ? `revision ${now.revision}` : 'nothing'}`,
          };
      }
      if (heads.size !== body.chains || heads.root() !== body.root)
        return fail(`its Merkle root over ${body.chains} chains is not the one of the log's ${heads.size}`);
    }
    return undefined;
  }

  async draftCheckpoint(): Promise<CheckpointDraft | null> {
    const [previous] = (await this.raw.readStream(CHECKPOINT_STREAM, {
      direction: 'backwards',
      maxCount: 1,
    })) as Checkpoint[];
    const fromPosition = previous ? BigInt(previous.data.toPosition) : 0n;
    let heads = this.drafted;
    if (!heads || heads.at !== fromPosition) heads = await this.headsAt(fromPosition);
    this.drafted = null;
    const moved = new Map<string, ChainHead>();
    let toPosition = fromPosition;
    let after = fromPosition;
    for (;;) {
      const page = await this.raw.readAll({ after, maxCount: 500 });
      for (const event of page) {
        after = event.position;
        if (event.streamId === CHECKPOINT_STREAM) continue;
        const hash = linkOf(event)?.hash ?? '';
        heads.move(event.streamId, event.revision, event.position, hash);
        moved.set(event.streamId, {
          streamId: event.streamId,
          revision: String(event.revision),
          position: String(event.position),
          hash,
        });
        toPosition = event.position;
      }
      if (page.length < 500 || moved.size >= MAX_CHECKPOINT_HEADS) break;
    }
    if (moved.size === 0) {
      this.drafted = heads;
      return null;
    }
    heads.at = toPosition;
    this.drafted = heads; // a draft that is not recorded is noticed next time (the last checkpoint's end differs)
    const body: CheckpointBody = {
      sequence: (previous?.data.sequence ?? 0) + 1,
      fromPosition: String(fromPosition),
      toPosition: String(toPosition),
      chains: heads.size,
      root: heads.root(),
      heads: [...moved.values()],
      keyId: this.signer.keyId,
      publicKey: this.signer.publicKey,
      signedAt: this.clock.now().toISOString(),
    };
    return { ...body, signature: this.signer.sign(signedMessage(body)) };
  }

  /** The heads as stored, as of `position` (the end of the last checkpoint). */
  private async headsAt(position: bigint): Promise<Heads> {
    const heads = new Heads();
    let after = 0n;
    while (after < position) {
      const page = await this.raw.readAll({ after, maxCount: PAGE });
      for (const event of page) {
        if (event.position > position) break;
        after = event.position;
        if (event.streamId !== CHECKPOINT_STREAM)
          heads.move(event.streamId, event.revision, event.position, linkOf(event)?.hash ?? '');
      }
      if (page.length < PAGE || page.at(-1)!.position > position) break;
    }
    heads.at = position;
    return heads;
  }
}
