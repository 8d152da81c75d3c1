import Handlebars from 'handlebars';
import type { Language, TemplateName } from '../../application/notification/notification-templates.js';
import type { RenderedMail, Templates } from '../../application/ports/templates.port.js';
import { de } from './de.templates.js';
import type { LanguageSource } from './template-source.js';
import { en } from './en.templates.js';

interface Compiled {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };
const sources: Record<Language, LanguageSource> = { en, de };

/**
 * The notification templates in Handlebars (compiled once, strict: a missing parameter throws), each
 * in a text and an HTML part. The HTML part escapes every value (a name cannot inject markup); the
 * text part does not. Money, dates and times are formatted for the language, times in the shop's
 * time zone.
 */
export class HandlebarsTemplates implements Templates {
  private readonly compiled = new Map<string, Compiled>();

  constructor(shopTimeZone: string) {
    for (const language of Object.keys(sources) as Language[]) {
      const hb = Handlebars.create();
      const locale = LOCALES[language];
      hb.registerHelper('money', (m: { amount: number; currency: string }) =>
        new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency }).format(m.amount / 100),
      );
      hb.registerHelper('date', (d: string) =>
        new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`)),
      );
      hb.registerHelper('datetime', (t: string) =>
        new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: shopTimeZone }).format(
          new Date(t),
        ),
      );
      const { greeting, footer, purposes, templates } = sources[language];
      hb.registerHelper('purposeName', (p: string) => purposes[p] ?? p);
      for (const [name, source] of Object.entries(templates)) {
        const text = [greeting, ...source.body, footer].join('\n\n');
        const html =
          `<!doctype html><html lang="${language}"><body>` +
          [greeting, ...source.body, footer].map((p) => `<p>${p}</p>`).join('') +
          '</body></html>';
        this.compiled.set(`${language}/${name}`, {
          subject: hb.compile(source.subject, { strict: true, noEscape: true }),
          text: hb.compile(text, { strict: true, noEscape: true }),
          html: hb.compile(html, { strict: true }),
        });
      }
    }
  }

  render(template: TemplateName, language: Language, params: Record<string, unknown>): RenderedMail {
    const compiled = this.compiled.get(`${language}/${template}`) ?? this.compiled.get(`en/${template}`);
    if (!compiled) throw new Error(`No template ${template}`);
    return { subject: compiled.subject(params), text: compiled.text(params), html: compiled.html(params) };
  }
}
