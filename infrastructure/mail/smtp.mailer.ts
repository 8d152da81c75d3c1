import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { MailDeliveryError, type Mail, type Mailer } from '../../application/ports/mailer.port.js';
import { messageOf } from './compose.js';

export interface SmtpMailerOptions {
  /** `smtp://user:password@host:port` or `smtps://...`. */
  url: string;
  from: string;
  /** Connecting, the greeting, and each answer of the server: slower than this is a failed attempt. */
  timeoutMs: number;
}

/**
 * Production mail: SMTP through nodemailer, one pooled transport. A refusal for now (4xx), a server
 * not reached or too slow are retryable `MailDeliveryError`s (the job is tried again); a permanent
 * refusal (5xx) is not. The message's id is the notification's, so a mail sent again after a crash
 * carries the same Message-ID (receiving servers and clients drop it as a duplicate).
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    private readonly options: SmtpMailerOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: 2,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      dnsTimeout: options.timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async send(mail: Mail): Promise<{ messageId: string }> {
    try {
      await this.transport.sendMail(messageOf(mail, this.options.from, this.clock.now()));
      this.logger.info('mail sent', { kind: mail.kind, messageId: mail.messageId });
      return { messageId: mail.messageId };
    } catch (error) {
      const e = error as { message?: string; code?: string; responseCode?: number; permanent?: boolean };
      const permanent = e.permanent === true;
      // The server's answer may quote the address: only the code goes to the log.
      this.logger.warn('mail not sent', {
        kind: mail.kind,
        messageId: mail.messageId,
        code: e.code ?? null,
        responseCode: e.responseCode ?? null,
        permanent,
      });
      const what = e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'SMTP error');
      throw new MailDeliveryError(`The mail server did not take the mail (${what})`, !permanent, e.responseCode);
    }
  }

  close(): void {
    this.transport.close();
  }
}
