/**
 * A Merkle tree over the heads of every hash chain, leaves in the order the streams began (so a new
 * stream appends a leaf), kept up to date leaf by leaf: changing a head costs log2(n) hashes, not a
 * rebuild. Nodes follow RFC 6962 (leaf = SHA-256(0x00 || leaf data), node = SHA-256(0x01 || left ||
 * right)); a node without a right sibling is carried up unchanged. The root of no leaves is
 * SHA-256 of nothing.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const EMPTY = sha256();

export function leafHash(streamId: string, revision: string, hash: string): Buffer {
  return sha256(LEAF, Buffer.from(`${streamId}\n${revision}\n${hash}`, 'utf8'));
}

export class MerkleTree {
  /** levels[0] are the leaves; levels[k][i] covers leaves i*2^k .. (i+1)*2^k - 1. */
  private levels: Buffer[][] = [[]];

  get size(): number {
    return this.levels[0].length;
  }

  /** Sets leaf `index` (index === size appends one), then the nodes above it. */
  set(index: number, leaf: Buffer): void {
    if (index > this.size) throw new Error(`Leaf ${index} beyond the tree's ${this.size} leaves`);
    this.levels[0][index] = leaf;
    let i = index;
    let k = 0;
    while (this.levels[k].length > 1) {
      const parent = i >> 1;
      const left = this.levels[k][parent * 2];
      const right = this.levels[k][parent * 2 + 1];
      (this.levels[k + 1] ??= [])[parent] = right === undefined ? left : sha256(NODE, left, right);
      i = parent;
      k++;
    }
  }

  root(): string {
    if (this.size === 0) return EMPTY.toString('hex');
    const top = this.levels[this.levels.length - 1];
    return top[0].toString('hex');
  }
}

/** The same root computed from scratch (tests and the bench compare the two). */
export function merkleRoot(leaves: Buffer[]): string {
  if (leaves.length === 0) return EMPTY.toString('hex');
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(level[i + 1] === undefined ? level[i] : sha256(NODE, level[i], level[i + 1]));
    level = next;
  }
  return level[0].toString('hex');
}
