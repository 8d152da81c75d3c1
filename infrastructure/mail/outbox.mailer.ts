import type { Clock } from '../../application/ports/clock.port.js';
import type { IdGenerator } from '../../application/ports/id-generator.port.js';
import type { Mail, Mailer } from '../../application/ports/mailer.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';

export const OUTBOX_COLLECTION = 'sys_outbox';

export interface OutboxDoc {
  _id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  status: 'pending';
  [key: string]: unknown;
}

/**
 * The embedded outbox: mails are stored in the read store (`sys_outbox`, on SQLite or MongoDB alike),
 * pending, for a sender to deliver; until the notifications issue brings one (SMTP with nodemailer),
 * they wait there (the tests read them as an inbox).
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly store: ReadStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async send(mail: Mail): Promise<void> {
    const doc: OutboxDoc = {
      _id: this.ids.uuid(),
      ...mail,
      createdAt: this.clock.now().toISOString(),
      status: 'pending',
    };
    await this.store.collection<OutboxDoc>(OUTBOX_COLLECTION).put(doc);
  }
}
