/**
 * Every notification Rentlog sends, and whether it is a reminder (the customer may turn reminders
 * off: `preferences.reminders`) or transactional (always sent: what the customer did or owes).
 */
export const NOTIFICATION_TEMPLATES = {
  'order-placed': 'transactional',
  'order-confirmed': 'transactional',
  'payment-receipt': 'transactional',
  refund: 'transactional',
  'pickup-reminder': 'reminder',
  'return-reminder': 'reminder',
  // A reminder: issue 10 lists it with the reminders that respect the preference (staff still see
  // overdue rentals on the dashboard and in GET /v1/orders?overdue=true).
  'overdue-notice': 'reminder',
  'hold-expiring': 'reminder',
  'password-reset': 'transactional',
  'new-device-sign-in': 'transactional',
  'mfa-enabled': 'transactional',
  'mfa-disabled': 'transactional',
} as const;

export type TemplateName = keyof typeof NOTIFICATION_TEMPLATES;
export const templateNames = Object.keys(NOTIFICATION_TEMPLATES) as TemplateName[];
export const isReminder = (template: TemplateName): boolean => NOTIFICATION_TEMPLATES[template] === 'reminder';

/** The languages mails are written in. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);
