import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mail } from '../../application/ports/mailer.port.js';

/** The message nodemailer would send, as nodemailer's own fields (one shape for SMTP and the outbox). */
export function messageOf(mail: Mail, from: string, date: Date) {
  return {
    from,
    to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    date,
    headers: {
      'X-Rentlog-Template': mail.kind,
      ...(mail.language ? { 'Content-Language': mail.language } : {}),
    },
  };
}

/** The whole message in RFC 5322 form (an `.eml` file), composed by nodemailer's MailComposer. */
export function composeEml(mail: Mail, from: string, date: Date): Promise<Buffer> {
  return new MailComposer(messageOf(mail, from, date)).compile().build();
}
