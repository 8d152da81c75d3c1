export const MAILER = Symbol('Mailer');

/** A mail to one person. Its text may hold a credential (a reset link): a mailer never logs it. */
export interface Mail {
  /** The Message-ID (`<id@host>`), derived from the notification: a mail sent again is known as the same one. */
  messageId: string;
  to: string;
  /** The recipient's name, for the `To` header. */
  toName?: string | null;
  subject: string;
  text: string;
  html?: string;
  /** `en`, `de`: the `Content-Language` header. */
  language?: string;
  /** What the mail is, for the log and metrics (`password-reset`, ...); never personal data. */
  kind: string;
  /**
   * Whose personal data the mail is (`customer:<id>`, `user:<id>`): a copy the mailer keeps (the
   * outbox folder) is encrypted under that subject's key, so an erasure leaves it unreadable.
   */
  owner: string;
}

/** Hands a mail over for delivery; resolves once it is stored durably or accepted by the server. */
export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string; duplicate?: boolean }>;
}

/**
 * A mail that was not handed over. `retryable`: the server refused it for now (a 4xx answer), could
 * not be reached, or did not answer in time; a job sending it is retried. A permanent refusal (5xx)
 * is not retryable.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}
