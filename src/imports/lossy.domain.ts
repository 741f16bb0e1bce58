// Whether a value from a file is a damaged copy of the stored one, as spreadsheets damage values on the way
// out and back (issue 13 "no silent damage"): characters the file's code page could not hold turned into `?`
// (or their plain letter), a postcode or phone number that lost its leading zero by becoming a number, a date
// inside text rewritten in another format. Such a value is not written by default. Pure logic.
import iconv from 'iconv-lite';
import type { ImportField } from './rows.domain.js';

export type LossReason = 'codepage' | 'leadingZero' | 'date';

const cp1252Cache = new Map<string, boolean>();

/** True when Windows-1252 (what German Excel and LibreOffice save "ANSI" CSV as) can hold the character. */
export function inCodePage(ch: string): boolean {
  let ok = cp1252Cache.get(ch);
  if (ok === undefined) {
    ok = iconv.decode(iconv.encode(ch, 'windows-1252'), 'windows-1252') === ch;
    if (cp1252Cache.size < 10_000) cp1252Cache.set(ch, ok);
  }
  return ok;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when `to` is `from` with the characters a code page lacks replaced by `?` (one per character or per
 * UTF-16 unit, as encoders differ) or by their base letter (Windows' "best fit": ş → s).
 */
export function isCodePageLoss(from: string, to: string): boolean {
  if (from === to || !to) return false;
  let lacking = false;
  let pattern = '';
  for (const ch of from) {
    if (inCodePage(ch)) {
      pattern += escape(ch);
      continue;
    }
    lacking = true;
    const base = ch.normalize('NFKD').replace(/\p{M}+/gu, '');
    const alternatives = [`\\?{1,${ch.length}}`];
    if (base && base !== ch && [...base].every(inCodePage)) alternatives.push(escape(base));
    pattern += `(?:${alternatives.join('|')})`;
  }
  return lacking && new RegExp(`^${pattern}$`, 'u').test(to);
}

/** True when `to` is the number a spreadsheet made of `from` (a postcode or phone with leading zeros). */
export function isLeadingZeroLoss(from: string, to: string): boolean {
  const t = to.trim().replace(/\.0+$/, '');
  if (!/^[1-9]\d*$/.test(t)) return false;
  const digits = from.replace(/\D+/g, '');
  return /^0/.test(digits) && /^[\s0(]*0/.test(from.trim()) && digits.replace(/^0+/, '') === t;
}

const DATE = /\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}\/\d{1,2}\/\d{2,4})\b/g;

/** The day a date token may mean, as `yy-m-d` keys (a/b/y is month/day or day/month: both). */
function dateMeanings(token: string): Set<string> {
  const out = new Set<string>();
  const add = (y: string, m: string, d: string) => {
    const mm = Number(m);
    const dd = Number(d);
    if (mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31) out.add(`${Number(y) % 100}-${mm}-${dd}`);
  };
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token))) add(m[1]!, m[2]!, m[3]!);
  else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{2,4})$/.exec(token))) add(m[3]!, m[2]!, m[1]!);
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/.exec(token))) {
    add(m[3]!, m[1]!, m[2]!);
    add(m[3]!, m[2]!, m[1]!);
  }
  return out;
}

/** True when `to` is `from` with its dates written in another format (`31.12.2024` → `12/31/24`), all else equal. */
export function isDateReformatted(from: string, to: string): boolean {
  if (from === to) return false;
  const fromDates = from.match(DATE) ?? [];
  const toDates = to.match(DATE) ?? [];
  if (!fromDates.length || fromDates.length !== toDates.length) return false;
  if (from.split(DATE).join('\u0000') !== to.split(DATE).join('\u0000')) return false;
  return fromDates.every((f, i) => {
    const a = dateMeanings(f);
    return [...dateMeanings(toDates[i]!)].some((x) => a.has(x));
  });
}

/** Why writing `to` over the stored `from` would lose information, or null when it would not. */
export function lossOf(field: ImportField, from: string | null, to: string): LossReason | null {
  if (from === null || from === '' || from === to) return null;
  if ((field === 'postcode' || field === 'phone') && isLeadingZeroLoss(from, to)) return 'leadingZero';
  if (isCodePageLoss(from, to)) return 'codepage';
  if (isDateReformatted(from, to)) return 'date';
  return null;
}

/** A `?` in a name read from a file: the name may be a code-page copy of a stored one (match it with a wildcard). */
export function hasLossMark(name: string): boolean {
  return name.includes('?');
}

/** A LIKE pattern for a normalised name whose runs of `?` stand for unknown characters (check candidates with isCodePageLoss). */
export function wildcardPattern(nameNorm: string): string {
  return nameNorm.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\?+/g, '%');
}
