import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataKey, KeyVault } from '../../application/ports/key-vault.port.js';

/** One destroyed data key: its subject (`customer:<id>`, `user:<id>`, `signin:<hash>`: never personal data) and when. */
export interface Erasure {
  subject: string;
  at: string;
}

/**
 * The erasure ledger: an append-only file (one JSON line per destroyed data key) that no backup holds
 * and no restore replaces. Restoring a backup older than an erasure brings the erased subject's key
 * back with the old key vault; `rentlog restore` reads this ledger and erases those subjects again
 * (crypto-shredding kept). It holds subjects (random ids, keyed hashes) and times only.
 */
export class ErasureLedger {
  constructor(readonly file: string) {}

  /** Flushed to disk before it answers: the key is destroyed only once its erasure is on record (once). */
  record(subject: string, at: Date): void {
    const text = this.text();
    if (this.parse(text).some((e) => e.subject === subject)) return;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // After a torn last line (a crash mid-write), on a line of its own.
    const line = `${text && !text.endsWith('\n') ? '\n' : ''}${JSON.stringify({ subject, at: at.toISOString() })}\n`;
    appendFileSync(this.file, line, { mode: 0o600 });
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every erasure recorded, oldest first (a torn last line, from a crash mid-write, is left out). */
  read(): Erasure[] {
    return this.parse(this.text());
  }

  private text(): string {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
  }

  private parse(text: string): Erasure[] {
    const erasures: Erasure[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as Partial<Erasure>;
        if (typeof entry.subject === 'string' && typeof entry.at === 'string')
          erasures.push({ subject: entry.subject, at: entry.at });
      } catch {
        // a torn line: its destroy never ran (the ledger is written first)
      }
    }
    return erasures;
  }
}

/** A key vault whose every destruction is recorded in the erasure ledger first. */
export class LedgeredKeyVault implements KeyVault {
  constructor(
    private readonly inner: KeyVault,
    private readonly ledger: ErasureLedger,
  ) {}

  key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>> {
    return this.inner.key(subject);
  }

  peek(subject: string): Promise<DataKey> {
    return this.inner.peek(subject);
  }

  async destroy(subject: string): Promise<void> {
    this.ledger.record(subject, new Date());
    await this.inner.destroy(subject);
  }

  rewrap(): Promise<number> {
    return this.inner.rewrap();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  toString(): string {
    return String(this.inner);
  }
}
