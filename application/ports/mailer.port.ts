export const MAILER = Symbol('Mailer');

/** A mail to one person. Its text may hold a credential (a reset link): a mailer never logs it. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** What the mail is, for the log and metrics (`password-reset`, ...); never personal data. */
  kind: string;
}

/** Hands a mail over for delivery; resolves once it is stored durably (delivery may come later). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
