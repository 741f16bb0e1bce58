// Normal forms used for matching and lookups: e-mail, names, phone numbers, free text keys.

/** Trimmed and lower-cased; '' becomes null. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const e = (email ?? '').trim().toLowerCase();
  return e === '' ? null : e;
}

/** Lower case without diacritics and with single spaces: "  Jörg  MÜLLER " → "jorg muller". ß → ss. */
export function foldText(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/gi, 'ae')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function normaliseName(first: string | null | undefined, last: string | null | undefined): string {
  return foldText(`${first ?? ''} ${last ?? ''}`);
}

/** Digits only, with a leading + kept and a German trunk 0 folded: "+49 (30) 123-45" and "030 12345" both → "+493012345". */
export function normalisePhone(phone: string | null | undefined): string {
  let p = (phone ?? '').trim();
  if (p.startsWith("'")) p = p.slice(1);
  const plus = p.startsWith('+') || p.startsWith('00');
  let digits = p.replace(/[^0-9]/g, '');
  if (p.startsWith('00')) digits = digits.slice(2);
  if (plus) return digits ? `+${digits}` : '';
  if (digits.startsWith('0') && digits.length > 4) return `+49${digits.slice(1)}`;
  return digits;
}

/** Key for names of skills, tags and cities: folded, punctuation spaced out. */
export function nameKey(s: string | null | undefined): string {
  return foldText(s).replace(/[\s_]+/g, ' ');
}
