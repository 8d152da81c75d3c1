import type { Logger } from '../../application/ports/logger.port.js';
import type { Config } from '../../infrastructure/config/config.js';
import { outboxDir, pruneOutbox, readOutbox } from '../../infrastructure/mail/outbox-folder.mailer.js';
import { openInfrastructure } from '../composition/infrastructure.js';

const write = (text: string) => process.stdout.write(`${text}\n`);
/** A header of the message (its first line; enough for a listing). */
const header = (eml: string, name: string): string => {
  const head = eml.slice(0, Math.max(0, eml.indexOf('\r\n\r\n')));
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}: `));
  return line ? line.slice(name.length + 2) : '';
};

/**
 * `rentlog outbox list`: the mails of the outbox folder (no SMTP_URL), oldest first, opened with their
 * recipients' keys: file, time, template, recipient, subject (`(erased)` once the recipient's key is
 * gone). `rentlog outbox show <file or notification id>`: that mail as an `.eml` on stdout (open it in
 * a mail client). `rentlog outbox prune [days]`: deletes the mails nobody can read any more (erased
 * recipients) and, with `days`, every mail older than that.
 */
export async function outboxCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  const [sub, arg] = args;
  if (!['list', 'show', 'prune'].includes(sub ?? '') || (sub === 'show' && !arg)) {
    process.stderr.write('Usage: rentlog outbox list | show <file or notification id> | prune [days]\n');
    return 2;
  }
  const infra = await openInfrastructure(config, logger.child({ cli: 'outbox' }));
  const dir = outboxDir(config.dataDir);
  try {
    if (sub === 'prune') {
      const days = arg === undefined ? null : Number(arg);
      if (days !== null && !(Number.isInteger(days) && days >= 0)) {
        process.stderr.write('prune takes a whole number of days\n');
        return 2;
      }
      const before = days === null ? null : new Date(infra.clock.now().getTime() - days * 86_400_000);
      write(`deleted ${await pruneOutbox(dir, infra.keyVault, before)} mails from ${dir}`);
      return 0;
    }
    const entries = await readOutbox(dir, infra.keyVault);
    if (sub === 'show') {
      const entry = entries.find((e) => e.file === arg || e.file.startsWith(`${arg}.`));
      if (!entry) {
        process.stderr.write(`No mail ${arg} in ${dir}\n`);
        return 1;
      }
      if (entry.eml === null) {
        process.stderr.write(`${entry.file} cannot be read: its recipient was erased\n`);
        return 1;
      }
      process.stdout.write(entry.eml);
      return 0;
    }
    for (const e of entries)
      write(
        [
          e.file,
          e.writtenAt.toISOString(),
          ...(e.eml === null
            ? ['(erased)']
            : [header(e.eml, 'X-Rentlog-Template'), header(e.eml, 'To'), header(e.eml, 'Subject')]),
        ].join('\t'),
      );
    write(`${entries.length} mails in ${dir}`);
    return 0;
  } finally {
    await infra.close();
  }
}
