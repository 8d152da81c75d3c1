/** The key vault contract: what every adapter answers (SQLite always, MongoDB when MONGODB_URL is set). */
import { randomBytes, randomUUID } from 'node:crypto';
import { MasterKeyUnknownError, type KeyVault } from '../../application/ports/key-vault.port.js';
import { MasterKeyring, parseMasterKey } from '../../infrastructure/key-vault/master-keys.js';

export interface KeyVaultFixture {
  /** A vault over the same store with these master keys (a restart, or a rotation). */
  open(masters: MasterKeyring): Promise<KeyVault>;
  cleanup(): Promise<void>;
}

const master = () => parseMasterKey(randomBytes(32).toString('hex'));

export function keyVaultContract(name: string, setup: () => Promise<KeyVaultFixture>): void {
  describe(`KeyVault contract: ${name}`, () => {
    let fixture: KeyVaultFixture;
    let first: ReturnType<typeof master>;
    let vault: KeyVault;
    const opened: KeyVault[] = [];
    const open = async (masters: MasterKeyring) => {
      const v = await fixture.open(masters);
      opened.push(v);
      return v;
    };
    beforeAll(async () => {
      fixture = await setup();
      first = master();
      vault = await open(new MasterKeyring(first));
    });
    afterAll(async () => {
      await Promise.all(opened.map((v) => v.close()));
      await fixture.cleanup();
    });
    const subject = () => `customer:${randomUUID()}`;

    it('makes a 256-bit key on first use and answers the same one afterwards, also after a restart', async () => {
      const s = subject();
      const made = await vault.key(s);
      expect(made.status).toBe('active');
      const key = (made as { key: Buffer }).key;
      expect(key).toHaveLength(32);
      expect(await vault.key(s)).toEqual({ status: 'active', key });
      const again = await open(new MasterKeyring(first));
      expect(await again.peek(s)).toEqual({ status: 'active', key });
    });

    it('gives each subject a key of its own', async () => {
      const [a, b] = await Promise.all([vault.key(subject()), vault.key(subject())]);
      expect((a as { key: Buffer }).key.equals((b as { key: Buffer }).key)).toBe(false);
    });

    it('agrees on one key when first uses race', async () => {
      const s = subject();
      const other = await open(new MasterKeyring(first));
      const keys = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? vault : other).key(s)));
      const hex = new Set(keys.map((k) => (k as { key: Buffer }).key.toString('hex')));
      expect(hex.size).toBe(1);
    });

    it('peeks without making a key', async () => {
      const s = subject();
      expect(await vault.peek(s)).toEqual({ status: 'absent' });
      expect(await vault.peek(s)).toEqual({ status: 'absent' });
    });

    it('destroys a key for ever: the subject is never given a new one, and destroying again changes nothing', async () => {
      const s = subject();
      await vault.key(s);
      await vault.destroy(s);
      expect(await vault.peek(s)).toEqual({ status: 'destroyed' });
      expect(await vault.key(s)).toEqual({ status: 'destroyed' });
      await vault.destroy(s);
      expect(await (await open(new MasterKeyring(first))).key(s)).toEqual({ status: 'destroyed' });
    });

    it('refuses a key to a subject destroyed before it had one', async () => {
      const s = subject();
      await vault.destroy(s);
      expect(await vault.key(s)).toEqual({ status: 'destroyed' });
    });

    it('leaves other subjects whole when one is destroyed', async () => {
      const [kept, gone] = [subject(), subject()];
      const key = await vault.key(kept);
      await vault.key(gone);
      await vault.destroy(gone);
      expect(await vault.peek(kept)).toEqual(key);
    });

    it('rewraps every key under a new master key; the old master is then no longer needed', async () => {
      const s = subject();
      const destroyed = subject();
      const key = await vault.key(s);
      await vault.key(destroyed);
      await vault.destroy(destroyed);
      const next = master();
      const rotating = await open(new MasterKeyring(next, [first]));
      expect(await rotating.rewrap()).toBeGreaterThanOrEqual(1);
      expect(await rotating.rewrap()).toBe(0);
      const afterwards = await open(new MasterKeyring(next));
      expect(await afterwards.peek(s)).toEqual(key);
      expect(await afterwards.peek(destroyed)).toEqual({ status: 'destroyed' });
      first = next; // the keys of this store are under the new master from now on
      vault = afterwards;
    });

    it('cannot unwrap a key without the master key it was wrapped under', async () => {
      const s = subject();
      await vault.key(s);
      const stranger = await open(new MasterKeyring(master()));
      await expect(stranger.peek(s)).rejects.toBeInstanceOf(MasterKeyUnknownError);
    });

    it('answers a ping', async () => {
      await expect(vault.ping()).resolves.toBeUndefined();
    });
  });
}
