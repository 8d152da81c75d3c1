/**
 * The embedded mailer: each mail is one `.eml` file in the outbox folder (0600), encrypted under its
 * recipient's key (no address or name in plain text on disk), read back whole with the key, written
 * once per Message-ID (a mail sent again is the same file), and unreadable (then pruned) once the
 * recipient's key is destroyed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataKey, KeyVault } from '../../../application/ports/key-vault.port.js';
import { MailDeliveryError, type Mail } from '../../../application/ports/mailer.port.js';
import { SystemClock } from '../../../infrastructure/clock/system.clock.js';
import { OutboxFolderMailer, pruneOutbox, readOutbox } from '../../../infrastructure/mail/outbox-folder.mailer.js';
import { silentLogger } from '../../support/silent-logger.js';

/** The key vault's semantics in memory: a key made on first use, `destroyed` for ever after. */
class MemoryKeyVault implements KeyVault {
  private readonly keys = new Map<string, Buffer | 'destroyed'>();
  async key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>> {
    const k = this.keys.get(subject) ?? randomBytes(32);
    if (k === 'destroyed') return { status: 'destroyed' };
    this.keys.set(subject, k);
    return { status: 'active', key: k };
  }
  async peek(subject: string): Promise<DataKey> {
    const k = this.keys.get(subject);
    return k === undefined
      ? { status: 'absent' }
      : k === 'destroyed'
        ? { status: 'destroyed' }
        : { status: 'active', key: k };
  }
  async destroy(subject: string) {
    this.keys.set(subject, 'destroyed');
  }
  async rewrap() {
    return 0;
  }
  async ping() {}
  async close() {}
}

const mail = (id: string, owner: string, to = 'grace.canary@example.com'): Mail => ({
  messageId: `<${id}@rentlog>`,
  to,
  toName: 'Grace Canary',
  subject: 'Your order is reserved',
  text: 'Hello Grace Canary,\n\nwe hold your rental.',
  html: '<p>Hello Grace Canary,</p>',
  language: 'en',
  kind: 'order-placed',
  owner,
});

describe('the outbox folder mailer', () => {
  let dir: string;
  let keys: MemoryKeyVault;
  let mailer: OutboxFolderMailer;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rentlog-outbox-')), 'outbox');
    keys = new MemoryKeyVault();
    mailer = new OutboxFolderMailer(dir, keys, 'Rentlog <no-reply@rentlog.test>', new SystemClock(), silentLogger);
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes one encrypted .eml a mail, readable whole with its owner key, in the order sent', async () => {
    await mailer.send(mail('11111111-1111-4111-8111-111111111111', 'customer:a'));
    await mailer.send(mail('22222222-2222-4222-8222-222222222222', 'customer:b', 'other@example.com'));
    const files = readdirSync(dir);
    expect(files.sort()).toEqual([
      '11111111-1111-4111-8111-111111111111.eml.sealed',
      '22222222-2222-4222-8222-222222222222.eml.sealed',
    ]);
    for (const file of files) {
      const bytes = readFileSync(path.join(dir, file), 'utf8');
      expect(bytes).not.toMatch(/canary|Grace|example\.com/i);
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const outbox = await readOutbox(dir, keys);
    expect(outbox.map((e) => e.file)).toEqual(files.sort());
    expect(outbox[0].eml).toContain('Message-ID: <11111111-1111-4111-8111-111111111111@rentlog>');
    expect(outbox[0].eml).toMatch(/To: Grace Canary <grace\.canary@example\.com>/);
    expect(outbox[0].eml).toContain('X-Rentlog-Template: order-placed');
    expect(outbox[1].eml).toContain('other@example.com');
  });

  it('keeps a mail sent again (the same Message-ID) once', async () => {
    const first = await mailer.send(mail('33333333-3333-4333-8333-333333333333', 'customer:a'));
    const again = await mailer.send(mail('33333333-3333-4333-8333-333333333333', 'customer:a'));
    expect([first.duplicate, again.duplicate]).toEqual([false, true]);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('cannot be read once its owner was erased, is pruned, and takes no mail for an erased owner', async () => {
    await mailer.send(mail('44444444-4444-4444-8444-444444444444', 'customer:gone'));
    await mailer.send(mail('55555555-5555-4555-8555-555555555555', 'customer:kept'));
    await keys.destroy('customer:gone');
    const outbox = await readOutbox(dir, keys);
    expect(outbox.map((e) => e.eml === null)).toEqual([true, false]);
    expect(await pruneOutbox(dir, keys, null)).toBe(1);
    expect(readdirSync(dir)).toEqual(['55555555-5555-4555-8555-555555555555.eml.sealed']);
    const refused = await mailer.send(mail('66666666-6666-4666-8666-666666666666', 'customer:gone')).catch((e) => e);
    expect(refused).toBeInstanceOf(MailDeliveryError);
    expect(refused).toMatchObject({ retryable: false });
  });
});
