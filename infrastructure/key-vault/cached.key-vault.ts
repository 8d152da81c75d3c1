import type { DataKey, KeyVault } from '../../application/ports/key-vault.port.js';

/**
 * Keys held briefly in memory (never logged): a key read is kept for `ttlMs`, at most `maxEntries`
 * of them (the oldest go first). Destroying a key drops it here at once; another process drops its
 * copy when the copy's time is up, so `ttlMs` bounds how long erasure takes to reach every process.
 */
export class CachedKeyVault implements KeyVault {
  private readonly cache = new Map<string, { key: DataKey & { status: 'active' | 'destroyed' }; until: number }>();

  constructor(
    private readonly inner: KeyVault,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>> {
    const hit = this.hit(subject);
    if (hit) return hit;
    return this.keep(subject, await this.inner.key(subject));
  }

  async peek(subject: string): Promise<DataKey> {
    const hit = this.hit(subject);
    if (hit) return hit;
    const found = await this.inner.peek(subject);
    return found.status === 'absent' ? found : this.keep(subject, found);
  }

  async destroy(subject: string): Promise<void> {
    this.cache.delete(subject);
    await this.inner.destroy(subject);
    this.cache.delete(subject);
  }

  rewrap(): Promise<number> {
    return this.inner.rewrap();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.inner.close();
  }

  private hit(subject: string) {
    const entry = this.cache.get(subject);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.cache.delete(subject);
      return undefined;
    }
    return entry.key;
  }

  private keep<K extends DataKey & { status: 'active' | 'destroyed' }>(subject: string, key: K): K {
    if (this.ttlMs <= 0) return key;
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(subject, { key, until: this.now() + this.ttlMs });
    return key;
  }
}
