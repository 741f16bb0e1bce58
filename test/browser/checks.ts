// Page checks shared by the browser tests: axe-core, the Nu HTML Checker (vnu-jar), translation leaks, layout width.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import type { Locale } from '../../src/i18n/i18n.js';
import { TOKEN_PREFIX } from '../../src/api/api.domain.js';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- accessibility
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe with the WCAG 2.1 A + AA rules; returns one readable line per violating element. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be blocked).
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.help}) at ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`));
  }, AXE_TAGS);
}

// ---------------------------------------------------------------- translations
/**
 * Everything a user can read or hear on the page, in the page's own language: trimmed text nodes (skipping
 * script/style/template and any element marked with another lang), the title, and the attributes assistive
 * technology reads out or shows (aria-label, placeholder, title, alt, value of buttons).
 */
export async function readableStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const inPageLang = (el: Element | null) => {
      const marked = el?.closest('[lang]');
      return !marked || marked.getAttribute('lang') === pageLang;
    };
    const out: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || parent.closest('script, style, template, datalist') || !inPageLang(parent)) continue;
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [placeholder], [title], img[alt], input[type=submit], input[type=button]'))) {
      if (!inPageLang(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt', 'value']) {
        if (a === 'value' && !el.matches('input[type=submit], input[type=button]')) continue;
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  });
}

const namespaces = [...new Set(Object.keys(catalog.en).map((k) => k.split('.')[0]!))];
/** A message key as it would leak into the page: a known namespace, a dot, an identifier ("people.firstName");
 *  a file name like people.csv or network.zip is not one. */
const RAW_KEY = new RegExp(`(?<![\\w@./-])(?:${namespaces.join('|')})\\.[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*(?<!\\.(?:csv|zip|json|txt))(?![\\w@/-])`);

/** Strings that contain something shaped like one of our message keys. */
export function rawKeys(strings: string[]): string[] {
  return strings.filter((s) => RAW_KEY.test(s));
}

/** Strings with a stored name (snake_case, like job_title or last_confirmed_at) where a label belongs. */
export function identifiers(strings: string[]): string[] {
  // file names such as skill_aliases.csv are names, not leaked column keys; nor is an API token's shown start
  // ("skn_dy6ah8…": random letters, all lower case now and then, which made this check fail by chance)
  return strings.filter((s) => /(?<![\w@./-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w@/-]|\.\w)/.test(s.replaceAll(new RegExp(`${TOKEN_PREFIX}\\w+`, 'g'), '')));
}

function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

/** English messages that differ from every German message: seeing one on a German page means a translation fell back. */
const englishOnly = (() => {
  const german = new Set(Object.values(catalog.de));
  const patterns: { key: string; re: RegExp }[] = [];
  for (const [key, en] of Object.entries(catalog.en)) {
    if (en === catalog.de[key] || german.has(en) || en.replace(/\{\w+\}/g, '').trim().length < 3) continue;
    patterns.push({ key, re: templatePattern(en.replace(/\s+/g, ' ').trim()) });
  }
  return patterns;
})();

/** On a German page: the strings that are exactly an English-only message (the fallback showing through). */
export function englishLeftovers(strings: string[], locale: Locale): string[] {
  if (locale !== 'de') return [];
  return strings.flatMap((s) => englishOnly.filter((p) => p.re.test(s)).map((p) => `"${s}" (${p.key})`));
}

// ---------------------------------------------------------------- layout
/** How many CSS pixels the document is wider than the viewport (0 = no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

// ---------------------------------------------------------------- valid HTML
export interface VnuMessage {
  type: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** Runs the Nu HTML Checker once over many files; returns its error messages. */
export function vnuErrors(files: string[]): Promise<VnuMessage[]> {
  const jar = require('vnu-jar') as string;
  return new Promise((resolve, reject) => {
    execFile('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { maxBuffer: 32 * 1024 * 1024 }, (err, _stdout, stderr) => {
      // vnu writes its JSON report to stderr and exits 1 when it found errors
      try {
        const report = JSON.parse(stderr) as { messages: VnuMessage[] };
        resolve(report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error'));
      } catch {
        reject(new Error(`vnu failed: ${err?.message ?? ''} ${stderr.slice(0, 500)}`));
      }
    });
  });
}
