// Builds a mail of one kind in the recipient's language from the message catalog.
import { catalog } from '../i18n/catalog.js';
import { isLocale, makeFormatters, makeTranslator, type Locale, type Vars } from '../i18n/i18n.js';
import { renderMail, type RenderedMail } from './mail.domain.js';

export type ComposedKind = 'test' | 'confirm' | 'link' | 'join' | 'invite' | 'reset';

export function mailLocale(raw: unknown): Locale {
  return isLocale(raw) ? raw : 'en';
}

/** The mail of `kind` for a person named `name` (may be empty) with an action link; `vars` fill the texts. */
export function composeMail(kind: ComposedKind, locale: Locale, opts: { name?: string | null; url?: string; until?: string; vars?: Vars; footerVars?: Vars } = {}): RenderedMail {
  const t = makeTranslator(catalog, locale);
  const has = (key: string) => key in catalog[locale] || key in catalog.en;
  const vars: Vars = { ...(opts.vars ?? {}), until: opts.until ? makeFormatters(locale).date(opts.until) : '' };
  const paragraphs = ['p1', 'p2', 'p3'].filter((p) => has(`mail.${kind}.${p}`)).map((p) => t(`mail.${kind}.${p}`, vars));
  const name = (opts.name ?? '').trim();
  return renderMail({
    subject: t(`mail.${kind}.subject`, vars),
    greeting: name ? t('mail.greeting', { name }) : t('mail.greetingNoName'),
    paragraphs,
    action: opts.url && has(`mail.${kind}.action`) ? { label: t(`mail.${kind}.action`), url: opts.url } : undefined,
    footer: has(`mail.${kind}.footer`) ? t(`mail.${kind}.footer`, { ...vars, ...(opts.footerVars ?? {}) }) : undefined,
  }, locale);
}
