/** The rate-limit store contract: what every adapter answers (run on SQLite always, on MongoDB when MONGODB_URL is set). */
import { randomUUID } from 'node:crypto';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';

export function rateLimitStoreContract(
  name: string,
  open: () => Promise<{ store: RateLimitStore; cleanup: () => Promise<void> }>,
): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let store: RateLimitStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(() => cleanup());
    const key = () => `test:${randomUUID()}`;

    it('counts hits in a window, then opens a new one when it ended', async () => {
      const k = key();
      expect(await store.hit(k, 1000, 10_000)).toEqual({ count: 1, resetAtMs: 11_000 });
      expect(await store.hit(k, 1000, 10_500)).toEqual({ count: 2, resetAtMs: 11_000 });
      expect(await store.hit(k, 1000, 11_000)).toEqual({ count: 1, resetAtMs: 12_000 });
    });

    it('peeks at a window without counting, and sees none once it ended', async () => {
      const k = key();
      expect(await store.peek(k, 0)).toBeNull();
      await store.hit(k, 1000, 10_000);
      await store.hit(k, 1000, 10_100);
      expect(await store.peek(k, 10_200)).toEqual({ count: 2, resetAtMs: 11_000 });
      expect(await store.peek(k, 10_300)).toEqual({ count: 2, resetAtMs: 11_000 });
      expect(await store.peek(k, 11_000)).toBeNull();
    });

    it('keeps keys apart', async () => {
      const [a, b] = [key(), key()];
      await store.hit(a, 1000, 0);
      await store.hit(a, 1000, 1);
      expect((await store.hit(b, 1000, 2)).count).toBe(1);
    });

    it('counts 200 concurrent hits on one key exactly: each gets its own count', async () => {
      const k = key();
      const counts = (await Promise.all(Array.from({ length: 200 }, () => store.hit(k, 60_000, 5_000)))).map(
        (r) => r.count,
      );
      expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });

    it('counts several hits at once, in the current window or a new one', async () => {
      const k = key();
      expect(await store.hit(k, 1000, 10_000, 3)).toEqual({ count: 3, resetAtMs: 11_000 });
      expect(await store.hit(k, 1000, 10_500, 2)).toEqual({ count: 5, resetAtMs: 11_000 });
      expect(await store.hit(k, 1000, 11_000, 4)).toEqual({ count: 4, resetAtMs: 12_000 });
    });

    it('purges ended windows only', async () => {
      const [old, live] = [key(), key()];
      await store.hit(old, 100, 0);
      await store.hit(live, 100_000, 0);
      expect(await store.purge(1_000)).toBeGreaterThanOrEqual(1);
      expect((await store.hit(live, 100_000, 1_000)).count).toBe(2);
      expect((await store.hit(old, 100, 1_000)).count).toBe(1);
    });
  });
}
