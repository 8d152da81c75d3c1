import type { TemplateName } from '../../application/notification/notification-templates.js';

/** A template: its subject, and its body as paragraphs (the text and the HTML part are made from the same). */
export interface TemplateSource {
  subject: string;
  body: string[];
}

/** One language: the greeting and sign-off around every body, the names of payment purposes, the templates. */
export interface LanguageSource {
  greeting: string;
  footer: string;
  purposes: Record<string, string>;
  templates: Record<TemplateName, TemplateSource>;
}
