import type { Language, TemplateName } from '../notification/notification-templates.js';

export const TEMPLATES = Symbol('Templates');

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders a notification from its template in a language. `params` are the notification's facts
 * (order id, dates, amounts as Money) and the recipient's name; a template that names a missing
 * parameter throws (a bug, not a mail with a hole in it).
 */
export interface Templates {
  render(template: TemplateName, language: Language, params: Record<string, unknown>): RenderedMail;
}
