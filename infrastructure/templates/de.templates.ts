import type { LanguageSource as Language } from './template-source.js';

/** Deutsch. */
export const de: Language = {
  greeting: 'Hallo {{name}},',
  purposes: { deposit: 'Kaution', rental: 'Miete', fee: 'Gebühr' },
  footer: 'Ihr Rentlog-Team',
  templates: {
    'order-placed': {
      subject: 'Ihre Bestellung {{orderId}} ist reserviert',
      body: [
        'wir halten Ihre Miete vom {{date rentalStart}} bis {{date rentalEnd}} ({{rentalDays}} Tage) für Sie bereit.',
        'Summe: {{money total}} (Kaution {{money deposit}}).',
        'Bitte bestätigen Sie sie vor {{datetime holdExpiresAt}}; danach verfällt die Reservierung.',
      ],
    },
    'order-confirmed': {
      subject: 'Bestellung {{orderId}} bestätigt',
      body: ['Ihre Miete vom {{date rentalStart}} bis {{date rentalEnd}} ist bestätigt. Bis zum {{date rentalStart}}!'],
    },
    'payment-receipt': {
      subject: 'Beleg für Ihre Zahlung von {{money amount}}',
      body: [
        'wir haben {{money amount}} für die Bestellung {{orderId}} ({{purposeName purpose}}) erhalten. Vielen Dank!',
        'Zahlung: {{paymentId}}',
      ],
    },
    refund: {
      subject: 'Erstattung von {{money amount}}',
      body: [
        'wir haben {{money amount}} für die Bestellung {{orderId}} erstattet. Der Betrag erreicht Sie in wenigen Tagen.',
      ],
    },
    'pickup-reminder': {
      subject: 'Erinnerung: Ihre Miete beginnt morgen',
      body: ['Ihre Miete der Bestellung {{orderId}} beginnt morgen, am {{date rentalStart}}. Wir freuen uns auf Sie.'],
    },
    'return-reminder': {
      subject: 'Erinnerung: Ihre Miete endet morgen',
      body: [
        'Ihre Miete der Bestellung {{orderId}} endet morgen, am {{date rentalEnd}}. Bitte geben Sie alles bis dahin zurück.',
      ],
    },
    'overdue-notice': {
      subject: 'Bestellung {{orderId}} ist seit {{daysOverdue}} Tagen überfällig',
      body: [
        'Ihre Miete der Bestellung {{orderId}} endete am {{date rentalEnd}} und ist noch nicht zurück: seit {{daysOverdue}} Tagen überfällig.',
        'Bitte geben Sie sie so bald wie möglich zurück; Verspätungstage werden berechnet.',
      ],
    },
    'hold-expiring': {
      subject: 'Ihre Reservierung {{orderId}} läuft bald ab',
      body: [
        'Ihre Bestellung {{orderId}} ist bis {{datetime holdExpiresAt}} reserviert. Bestätigen Sie sie vorher, um sie zu behalten.',
      ],
    },
    'password-reset': {
      subject: 'Ihr Rentlog-Passwort zurücksetzen',
      body: [
        'jemand (hoffentlich Sie) möchte das Passwort Ihres Rentlog-Kontos zurücksetzen. Ein neues wählen Sie hier:',
        '{{link}}',
        'Der Link funktioniert einmal, {{minutes}} Minuten lang. Wenn Sie das nicht waren, ignorieren Sie diese Mail: Ihr Passwort bleibt, wie es ist.',
      ],
    },
    'new-device-sign-in': {
      subject: 'Neue Anmeldung bei Ihrem Rentlog-Konto',
      body: [
        'Ihr Konto wurde am {{datetime at}} von einem Gerät angemeldet, das wir noch nicht kannten.',
        'Wenn Sie das nicht waren, ändern Sie Ihr Passwort und melden Sie sich überall ab.',
      ],
    },
    'mfa-enabled': {
      subject: 'Zwei-Schritt-Anmeldung ist an',
      body: ['die Zwei-Schritt-Anmeldung wurde am {{datetime at}} für Ihr Konto eingeschaltet.'],
    },
    'mfa-disabled': {
      subject: 'Zwei-Schritt-Anmeldung ist aus',
      body: [
        'die Zwei-Schritt-Anmeldung wurde am {{datetime at}} für Ihr Konto ausgeschaltet.',
        'Wenn Sie das nicht waren, ändern Sie sofort Ihr Passwort.',
      ],
    },
  },
};
