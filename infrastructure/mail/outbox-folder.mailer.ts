import { randomUUID } from 'node:crypto';
import { link, mkdir, open as openFile, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../application/ports/clock.port.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { MailDeliveryError, type Mail, type Mailer } from '../../application/ports/mailer.port.js';
import { envelopeSubject, open, seal } from '../privacy/field-cipher.js';
import { composeEml } from './compose.js';

/** The folder of the embedded mailer under DATA_DIR. */
export const outboxDir = (dataDir: string): string => path.join(dataDir, 'outbox');

/** `<notification id>.eml.sealed`: one file per Message-ID, so a mail sent again is the same file. */
const SUFFIX = '.eml.sealed';
const fileOf = (messageId: string): string =>
  `${messageId.replace(/^<|@.*$|>$/g, '').replace(/[^A-Za-z0-9_-]/g, '_')}${SUFFIX}`;
const contextOf = (file: string): string => `outbox:${file}`;

/**
 * The embedded mailer (no SMTP_URL): each mail is an `.eml` file (composed by nodemailer, exactly what
 * SMTP would carry) in `DATA_DIR/outbox`, encrypted under its recipient's data key like every other
 * personal value at rest, so an erasure leaves it unreadable. `npm run outbox` lists and shows them.
 * A file is written whole (a temporary file, synced, then linked into place), and linked only when no
 * file of that Message-ID exists: a mail sent twice (a job retried after a crash) is there once.
 */
export class OutboxFolderMailer implements Mailer {
  private ready: Promise<unknown> | null = null;

  constructor(
    private readonly dir: string,
    private readonly keys: KeyVault,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(mail: Mail): Promise<{ messageId: string; duplicate: boolean }> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ready;
    const key = await this.keys.key(mail.owner);
    if (key.status !== 'active') throw new MailDeliveryError('The recipient was erased: the mail is not kept', false);
    const file = fileOf(mail.messageId);
    const eml = await composeEml(mail, this.from, this.clock.now());
    const sealed = seal(key.key, mail.owner, contextOf(file), eml.toString('utf8'));
    const temporary = path.join(this.dir, `.${randomUUID()}.tmp`);
    const handle = await openFile(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${sealed}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    let duplicate = false;
    try {
      await link(temporary, path.join(this.dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      duplicate = true;
    } finally {
      await unlink(temporary);
    }
    this.logger.info(duplicate ? 'mail already in the outbox' : 'mail written to the outbox', {
      kind: mail.kind,
      messageId: mail.messageId,
    });
    return { messageId: mail.messageId, duplicate };
  }
}

export interface OutboxEntry {
  file: string;
  writtenAt: Date;
  /** The `.eml`, or null when its owner was erased (the key is gone) or the file does not authenticate. */
  eml: string | null;
}

/** The outbox's mails, oldest first, opened with their owners' keys (for `npm run outbox` and the tests). */
export async function readOutbox(dir: string, keys: KeyVault): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = await Promise.all(
    names.map(async (file) => {
      const full = path.join(dir, file);
      const [text, info] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
      const envelope = text.trim();
      const subject = envelopeSubject(envelope);
      const key = subject ? await keys.peek(subject) : null;
      let eml: string | null = null;
      if (key?.status === 'active')
        try {
          eml = open(key.key, contextOf(file), envelope) as string;
        } catch {
          eml = null;
        }
      return { file, writtenAt: info.mtime, eml, order: info.mtimeMs };
    }),
  );
  return entries
    .sort((a, b) => a.order - b.order || a.file.localeCompare(b.file))
    .map(({ file, writtenAt, eml }) => ({ file, writtenAt, eml }));
}

/** Deletes the outbox files whose owner's key is destroyed (they cannot be read anyway) or older than `before`. */
export async function pruneOutbox(dir: string, keys: KeyVault, before: Date | null): Promise<number> {
  let removed = 0;
  for (const entry of await readOutbox(dir, keys)) {
    if (entry.eml !== null && (before === null || entry.writtenAt >= before)) continue;
    await unlink(path.join(dir, entry.file));
    removed += 1;
  }
  return removed;
}
