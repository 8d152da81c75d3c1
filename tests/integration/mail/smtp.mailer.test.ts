/**
 * The SMTP adapter against a real SMTP server (smtp-server from npm) on an ephemeral port: it takes a
 * mail (with the notification's Message-ID, both parts and the language), a refusal for now is a
 * retryable failure and one for good is not, a server slower than SMTP_TIMEOUT_MS is a retryable
 * failure, and a server that refuses three times takes the mail on the fourth attempt.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { MailDeliveryError, type Mail } from '../../../application/ports/mailer.port.js';
import { SmtpMailer } from '../../../infrastructure/mail/smtp.mailer.js';
import { SystemClock } from '../../../infrastructure/clock/system.clock.js';
import { silentLogger } from '../../support/silent-logger.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mail = (n = 1): Mail => ({
  messageId: `<00000000-0000-4000-8000-00000000000${n}@rentlog>`,
  to: 'ada@example.com',
  toName: 'Ada Lovelace',
  subject: 'Bestellung bestätigt',
  text: 'Hallo Ada Lovelace,\n\nIhre Miete ist bestätigt.',
  html: '<p>Hallo Ada Lovelace,</p>',
  language: 'de',
  kind: 'order-confirmed',
  owner: 'customer:c1',
});

const mailerFor = (url: string, timeoutMs = 5000) =>
  new SmtpMailer({ url, from: 'Rentlog <no-reply@rentlog.test>', timeoutMs }, new SystemClock(), silentLogger);

const refusal = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

describe('the SMTP mailer', () => {
  it('hands the mail to the server: envelope, Message-ID, text and HTML, language', async () => {
    const server = await startServer();
    const mailer = mailerFor(server.url);
    try {
      await expect(mailer.send(mail())).resolves.toEqual({ messageId: mail().messageId });
      expect(server.received).toHaveLength(1);
      const [got] = server.received;
      expect(got.from).toBe('no-reply@rentlog.test');
      expect(got.to).toEqual(['ada@example.com']);
      expect(got.raw).toContain('Message-ID: <00000000-0000-4000-8000-000000000001@rentlog>');
      expect(got.raw).toContain('Content-Language: de');
      expect(got.raw).toContain('X-Rentlog-Template: order-confirmed');
      expect(got.raw).toMatch(/Content-Type: text\/plain/);
      expect(got.raw).toMatch(/Content-Type: text\/html/);
      expect(got.raw).toMatch(/To: Ada Lovelace <ada@example.com>/);
    } finally {
      mailer.close();
      await server.close();
    }
  });

  it('takes a refusal for now (4xx) as retryable, and one for good (5xx) as not', async () => {
    let code = 451;
    const server = await startServer({
      onRcptTo(_address, _session, callback) {
        callback(refusal(code, code === 451 ? 'Try again later' : 'No such mailbox'));
      },
    });
    const mailer = mailerFor(server.url);
    try {
      const now = await mailer.send(mail()).catch((e: unknown) => e);
      expect(now).toBeInstanceOf(MailDeliveryError);
      expect(now).toMatchObject({ retryable: true, responseCode: 451 });
      code = 550;
      const never = await mailer.send(mail(2)).catch((e: unknown) => e);
      expect(never).toMatchObject({ retryable: false, responseCode: 550 });
      expect((never as Error).message).not.toContain('ada@example.com');
      expect(server.received).toEqual([]);
    } finally {
      mailer.close();
      await server.close();
    }
  });

  it('gives up on a server slower than the timeout, retryably', async () => {
    const server = await startServer({
      onConnect(_session, callback) {
        setTimeout(() => callback(), 1500).unref(); // no greeting for 1.5 s
      },
    });
    const mailer = mailerFor(server.url, 300);
    try {
      const slow = await mailer.send(mail()).catch((e: unknown) => e);
      expect(slow).toBeInstanceOf(MailDeliveryError);
      expect(slow).toMatchObject({ retryable: true });
    } finally {
      mailer.close();
      await server.close();
    }
  });

  it('is refused three times by a server, which takes the mail on the fourth attempt', async () => {
    let attempts = 0;
    const server = await startServer({
      onMailFrom(_address, _session, callback) {
        attempts += 1;
        callback(attempts <= 3 ? refusal(421, 'Busy, come back later') : undefined);
      },
    });
    const mailer = mailerFor(server.url);
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++)
        outcomes.push(
          await mailer.send(mail()).then(
            () => 'sent',
            (e: MailDeliveryError) => (e.retryable ? 'retry' : 'dead'),
          ),
        );
      expect(outcomes).toEqual(['retry', 'retry', 'retry', 'sent']);
      expect(server.received).toHaveLength(1);
    } finally {
      mailer.close();
      await server.close();
    }
  });
});
