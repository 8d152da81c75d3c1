import type { LanguageSource as Language } from './template-source.js';

/** English. `{{money x}}`, `{{date d}}` and `{{datetime t}}` format in the mail's language and the shop's time zone. */
export const en: Language = {
  greeting: 'Hello {{name}},',
  purposes: { deposit: 'deposit', rental: 'rental', fee: 'fee' },
  footer: 'Your Rentlog team',
  templates: {
    'order-placed': {
      subject: 'Your order {{orderId}} is reserved',
      body: [
        'we hold your rental from {{date rentalStart}} to {{date rentalEnd}} ({{rentalDays}} days) for you.',
        'Total: {{money total}} (deposit {{money deposit}}).',
        'Please confirm it before {{datetime holdExpiresAt}}; after that the hold runs out.',
      ],
    },
    'order-confirmed': {
      subject: 'Order {{orderId}} confirmed',
      body: [
        'your rental from {{date rentalStart}} to {{date rentalEnd}} is confirmed. See you on {{date rentalStart}}!',
      ],
    },
    'payment-receipt': {
      subject: 'Receipt for your payment of {{money amount}}',
      body: [
        'we received {{money amount}} for order {{orderId}} ({{purposeName purpose}}). Thank you!',
        'Payment: {{paymentId}}',
      ],
    },
    refund: {
      subject: 'Refund of {{money amount}}',
      body: ['we refunded {{money amount}} for order {{orderId}}. It reaches your account in a few days.'],
    },
    'pickup-reminder': {
      subject: 'Reminder: your rental starts tomorrow',
      body: ['your rental of order {{orderId}} starts tomorrow, {{date rentalStart}}. We look forward to seeing you.'],
    },
    'return-reminder': {
      subject: 'Reminder: your rental ends tomorrow',
      body: ['your rental of order {{orderId}} ends tomorrow, {{date rentalEnd}}. Please return everything by then.'],
    },
    'overdue-notice': {
      subject: 'Order {{orderId}} is {{daysOverdue}} days overdue',
      body: [
        'your rental of order {{orderId}} ended on {{date rentalEnd}} and has not come back: it is {{daysOverdue}} days overdue.',
        'Please return it as soon as you can; late days are charged.',
      ],
    },
    'hold-expiring': {
      subject: 'Your hold on order {{orderId}} runs out soon',
      body: ['your order {{orderId}} is held until {{datetime holdExpiresAt}}. Confirm it before then to keep it.'],
    },
    'password-reset': {
      subject: 'Reset your Rentlog password',
      body: [
        'someone (we hope you) asked to reset the password of your Rentlog account. To choose a new one, open:',
        '{{link}}',
        'The link works once, for {{minutes}} minutes. If you did not ask for it, ignore this mail: your password stays as it is.',
      ],
    },
    'new-device-sign-in': {
      subject: 'New sign-in to your Rentlog account',
      body: [
        'your account was signed in to from a device we had not seen before, at {{datetime at}}.',
        'If that was not you, change your password and sign out everywhere.',
      ],
    },
    'mfa-enabled': {
      subject: 'Two-step sign-in is on',
      body: ['two-step sign-in was turned on for your account at {{datetime at}}.'],
    },
    'mfa-disabled': {
      subject: 'Two-step sign-in is off',
      body: [
        'two-step sign-in was turned off for your account at {{datetime at}}.',
        'If that was not you, change your password at once.',
      ],
    },
  },
};
