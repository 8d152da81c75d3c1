import { simpleParser } from 'mailparser';
import { outboxDir, readOutbox } from '../../infrastructure/mail/outbox-folder.mailer.js';
import type { TestApp } from './test-app.js';

/** A mail of the outbox folder, opened with its recipient's key and parsed. */
export interface OutboxMail {
  file: string;
  to: string;
  toName: string | null;
  subject: string;
  template: string;
  language: string | null;
  messageId: string;
  text: string;
  html: string;
}

/** Every mail in the test app's outbox folder, in the order written (those of erased recipients left out). */
export async function outbox(t: TestApp): Promise<OutboxMail[]> {
  const entries = await readOutbox(outboxDir(t.config.dataDir), t.infra.keyVault);
  const mails: OutboxMail[] = [];
  for (const entry of entries) {
    if (entry.eml === null) continue;
    const parsed = await simpleParser(entry.eml);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    mails.push({
      file: entry.file,
      to: to?.value[0]?.address ?? '',
      toName: to?.value[0]?.name || null,
      subject: parsed.subject ?? '',
      template: String(parsed.headers.get('x-rentlog-template') ?? ''),
      language: parsed.headers.has('content-language') ? String(parsed.headers.get('content-language')) : null,
      messageId: parsed.messageId ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
    });
  }
  return mails;
}

/** The mails to one address (of one template), waiting (the worker sends them) until `count` are there. */
export async function inbox(
  t: TestApp,
  to: string,
  count = 1,
  template?: string,
  timeoutMs = 10_000,
): Promise<OutboxMail[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await outbox(t)).filter((m) => m.to === to && (!template || m.template === template));
    if (mails.length >= count || Date.now() > until) return mails;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
