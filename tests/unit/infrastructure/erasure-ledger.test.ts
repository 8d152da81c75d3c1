import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataKey, KeyVault } from '../../../application/ports/key-vault.port.js';
import { ErasureLedger, LedgeredKeyVault } from '../../../infrastructure/key-vault/erasure-ledger.js';

/** A vault that remembers what the ledger said when each destroy reached it. */
function vaultSeeing(ledger: ErasureLedger): KeyVault & { seen: string[][] } {
  const destroyed = new Set<string>();
  const seen: string[][] = [];
  return {
    seen,
    key: async (s) => (destroyed.has(s) ? { status: 'destroyed' } : { status: 'active', key: Buffer.alloc(32) }),
    peek: async (s): Promise<DataKey> => (destroyed.has(s) ? { status: 'destroyed' } : { status: 'absent' }),
    destroy: async (s) => {
      seen.push(ledger.read().map((e) => e.subject));
      destroyed.add(s);
    },
    rewrap: async () => 0,
    ping: async () => undefined,
    close: async () => undefined,
  };
}

describe('erasure ledger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records each destroyed subject once, before the key is destroyed', async () => {
    const ledger = new ErasureLedger(path.join(dir, 'sub', 'erasures.log'));
    const inner = vaultSeeing(ledger);
    const vault = new LedgeredKeyVault(inner, ledger);
    await vault.destroy('customer:1');
    await vault.destroy('signin:abc');
    await vault.destroy('customer:1'); // erased again: one line
    expect(inner.seen).toEqual([['customer:1'], ['customer:1', 'signin:abc'], ['customer:1', 'signin:abc']]);
    expect(ledger.read().map((e) => e.subject)).toEqual(['customer:1', 'signin:abc']);
    expect(ledger.read()[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await vault.key('customer:1')).toEqual({ status: 'destroyed' });
  });

  it('reads nothing from a missing file and skips a torn last line', () => {
    const file = path.join(dir, 'erasures.log');
    const ledger = new ErasureLedger(file);
    expect(ledger.read()).toEqual([]);
    ledger.record('user:7', new Date('2026-01-01T00:00:00Z'));
    appendFileSync(file, '{"subject":"customer:');
    expect(ledger.read()).toEqual([{ subject: 'user:7', at: '2026-01-01T00:00:00.000Z' }]);
    ledger.record('customer:8', new Date('2026-01-02T00:00:00Z')); // not glued to the torn line
    expect(ledger.read().map((e) => e.subject)).toEqual(['user:7', 'customer:8']);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"subject":"user:7","at":"2026-01-01T00:00:00.000Z"}');
  });
});
