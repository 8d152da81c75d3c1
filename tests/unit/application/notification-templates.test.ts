/**
 * The notification templates (Handlebars): every template renders in every language, text and HTML,
 * with money, dates and times formatted for the language; the HTML part escapes what it is given; a
 * missing parameter throws instead of sending a mail with a hole in it.
 */
import { LANGUAGES, templateNames } from '../../../application/notification/notification-templates.js';
import {
  isOverdueNoticeDay,
  openingCron,
  overdueNoticeDayOf,
} from '../../../application/notification/overdue-notices.job.js';
import { HandlebarsTemplates } from '../../../infrastructure/templates/handlebars.templates.js';

const templates = new HandlebarsTemplates('Europe/Berlin');
const params = {
  name: 'Ada <b>Lovelace</b>',
  orderId: 'o-1',
  paymentId: 'p-1',
  rentalStart: '2026-06-10',
  rentalEnd: '2026-06-12',
  rentalDays: 2,
  total: { amount: 12550, currency: 'EUR' },
  deposit: { amount: 5000, currency: 'EUR' },
  amount: { amount: 5000, currency: 'EUR' },
  purpose: 'deposit',
  holdExpiresAt: '2026-06-01T09:30:00.000Z',
  daysOverdue: 3,
  link: 'https://shop.example/reset#token=abc',
  minutes: 60,
  at: '2026-06-01T09:00:00.000Z',
};

describe('the notification templates', () => {
  it.each(LANGUAGES.flatMap((l) => templateNames.map((t) => [l, t] as const)))('%s %s renders', (language, name) => {
    const mail = templates.render(name, language, params);
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.text).toContain('Ada <b>Lovelace</b>');
    expect(mail.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    expect(mail.html).toMatch(new RegExp(`^<!doctype html><html lang="${language}">`));
  });

  it('writes in the language: money, dates and times (in the shop time zone)', () => {
    const en = templates.render('order-placed', 'en', params);
    const de = templates.render('order-placed', 'de', params);
    expect(en.text).toContain('€125.50');
    expect(de.text).toMatch(/125,50\s€/u);
    expect(en.text).toContain('10 June 2026');
    expect(de.text).toContain('10. Juni 2026');
    expect(en.text).toContain('11:30'); // 09:30 UTC in Berlin (summer time)
    expect(de.subject).toBe('Ihre Bestellung o-1 ist reserviert');
    expect(templates.render('payment-receipt', 'de', params).text).toContain('(Kaution)');
  });

  it('refuses to render with a parameter missing', () => {
    const { orderId: _o, ...without } = params;
    expect(() => templates.render('order-confirmed', 'en', without)).toThrow(/orderId/);
  });

  it('sends overdue notices on day 1, day 3, then weekly', () => {
    const days = Array.from({ length: 30 }, (_, i) => i + 1).filter(isOverdueNoticeDay);
    expect(days).toEqual([1, 3, 10, 17, 24]);
    // A slot no worker ran is caught up by the next: the latest notice day at or before today's.
    expect([0, 1, 2, 3, 9, 10, 16, 17].map(overdueNoticeDayOf)).toEqual([null, 1, 1, 3, 3, 10, 10, 17]);
    expect(openingCron('09:00')).toBe('0 9 * * *');
    expect(openingCron('07:45')).toBe('45 7 * * *');
  });
});
