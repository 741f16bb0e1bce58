// One translation layer for every user-facing string. Each feature keeps its messages in <feature>.messages.ts
// and registers them (src/features.ts) in src/i18n/catalog.ts. A missing German key falls back to English,
// a missing English key to a readable humanised form (never a raw key); tests check both are complete.
export type Locale = 'en' | 'de';
export const LOCALES: readonly Locale[] = ['en', 'de'];
export type Messages = Record<string, string>;
export interface MessageSet { en: Messages; de: Messages }

export type Vars = Record<string, string | number | null | undefined>;
export type Translate = (key: string, vars?: Vars) => string;

export function isLocale(x: unknown): x is Locale {
  return x === 'en' || x === 'de';
}

/** Picks the first supported language from an Accept-Language header, by quality. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: (tag ?? '').trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return 'en';
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The plural category (Intl.PluralRules: 'one', 'other', …) of a count given as a number or as formatted text ("1.234"). */
export function pluralCategory(locale: string, count: unknown): Intl.LDMLPluralRule {
  const n = typeof count === 'number' ? count : Number(String(count ?? '').replace(/[\s.,'\u202f\u00a0]/g, ''));
  if (!Number.isFinite(n)) return 'other';
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(n);
}

// `{name, plural, one {# tag} other {# tags}}` (ICU's form, one level of `{var}` inside; `=0 {…}` for exact values).
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

function pluralise(template: string, locale: string, vars: Vars): string {
  if (!template.includes(', plural,')) return template;
  return template.replace(PLURAL, (m, name: string, cases: string) => {
    const value = vars[name];
    if (value === undefined || value === null) return m;
    const forms = new Map([...cases.matchAll(PLURAL_CASE)].map((c) => [c[1]!, c[2]!]));
    const exact = forms.get(`=${String(value).replace(/\D/g, '')}`);
    const form = exact ?? forms.get(pluralCategory(locale, value)) ?? forms.get('other') ?? '';
    return form.replace(/#/g, String(value));
  });
}

function interpolate(template: string, vars?: Vars, locale: string = 'en'): string {
  if (!vars) return template;
  return pluralise(template, locale, vars).replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? m : String(v);
  });
}

function humanise(key: string): string {
  const last = key.split('.').pop() ?? key;
  const words = last.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function makeTranslator(catalog: MessageSet, locale: Locale): Translate {
  const primary = catalog[locale];
  const fallback = catalog.en;
  return (key, vars) => {
    // a count picks the plural form `key#one` (Intl.PluralRules) where a message has one
    const category = vars && vars.count !== undefined && vars.count !== null ? pluralCategory(locale, vars.count) : 'other';
    const form = category !== 'other' ? (primary[`${key}#${category}`] ?? fallback[`${key}#${category}`]) : undefined;
    const template = form ?? primary[key] ?? fallback[key];
    return interpolate(template ?? humanise(key), vars, locale);
  };
}

export function mergeMessageSets(sets: MessageSet[]): MessageSet {
  const out: MessageSet = { en: {}, de: {} };
  for (const s of sets) {
    for (const loc of LOCALES) {
      for (const [k, v] of Object.entries(s[loc])) {
        if (k in out[loc]) throw new Error(`duplicate message key ${loc}:${k}`);
        out[loc][k] = v;
      }
    }
  }
  return out;
}

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };

export interface Formatters {
  /** 2026-11-27 → 27/11/2026 (en) or 27.11.2026 (de) */
  date(value: string | Date | null | undefined): string;
  dateTime(value: string | Date | null | undefined): string;
  number(value: number | null | undefined, maxFraction?: number): string;
  /** whole months back from now, in words: "this month", "last month", "3 months ago" / "vor 3 Monaten" (the one home of "… ago") */
  monthsAgo(months: number): string;
}

// Building an Intl.NumberFormat costs far more than using one; a search page formats a hundred counts.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(tag: string, maxFraction: number): Intl.NumberFormat {
  const key = `${tag}/${maxFraction}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(tag, { maximumFractionDigits: maxFraction })));
  return f;
}

const formatters = new Map<Locale, Formatters>();

/** The formatters of a language (built once: Intl formatters are costly to create on every request). */
export function makeFormatters(locale: Locale): Formatters {
  let f = formatters.get(locale);
  if (!f) formatters.set(locale, (f = buildFormatters(locale)));
  return f;
}

function buildFormatters(locale: Locale): Formatters {
  const tag = INTL_LOCALE[locale];
  const dateFmt = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(tag, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin',
  });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v.length === 10 ? `${v}T00:00:00Z` : v));
  // a page shows the same few hundred days again and again (engagements, last contact): each formatted once
  const days = new Map<string, string>();
  const formatDate = (v: string | Date) => {
    const d = toDate(v);
    return Number.isNaN(d.getTime()) ? String(v) : dateFmt.format(d);
  };
  return {
    date(v) {
      if (!v) return '';
      if (typeof v !== 'string' || v.length !== 10) return formatDate(v);
      let out = days.get(v);
      if (out === undefined) {
        if (days.size >= 20_000) days.clear();
        days.set(v, (out = formatDate(v)));
      }
      return out;
    },
    dateTime(v) {
      if (!v) return '';
      const d = toDate(v);
      return Number.isNaN(d.getTime()) ? String(v) : dateTimeFmt.format(d);
    },
    monthsAgo(months) {
      return relative.format(-Math.max(0, Math.round(months)), 'month');
    },
    number(v, maxFraction = 1) {
      if (v === null || v === undefined || Number.isNaN(v)) return '';
      return numberFormat(tag, maxFraction).format(v);
    },
  };
}
