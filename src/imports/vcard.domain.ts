// A small strict vCard reader (RFC 2426 for 3.0, RFC 6350 for 4.0, and the vCard 2.1 that Outlook and old
// phones still write): folded lines, grouped properties (`item1.EMAIL`), parameters with or without names
// (`TYPE=HOME` / `HOME`), QUOTED-PRINTABLE with its CHARSET, escaped text, several contacts per file. Photos
// and other binary values are skipped. Pure logic: text in, contacts out.
import iconv from 'iconv-lite';
import { ImportRefused } from './decode.domain.js';

export interface VProperty {
  group: string | null;
  name: string;
  params: Record<string, string[]>;
  /** the raw value (QUOTED-PRINTABLE already decoded) */
  value: string;
}

export interface VContact {
  /** 1-based line where its BEGIN:VCARD is */
  line: number;
  props: VProperty[];
}

/** The most contacts a file may hold, and the longest unfolded line (a 10 MB photo is skipped, not kept). */
export const VCARD_LIMITS = { contacts: 500_000, lineChars: 20_000_000 };

/** True when the text starts (after a BOM and blank lines) like a vCard file. */
export function looksLikeVcard(head: string): boolean {
  return /^\uFEFF?\s*BEGIN:VCARD\s*$/im.test(head.split(/\r\n|\n|\r/).find((l) => l.trim()) ?? '');
}

const PARAM_NAMES_21: Record<string, string> = {
  'QUOTED-PRINTABLE': 'ENCODING', BASE64: 'ENCODING', B: 'ENCODING', '8BIT': 'ENCODING', '7BIT': 'ENCODING',
};

/** Splits `name;p1=a,b;P2;p3="x;y"` at unquoted `;` and returns the name and parameters (upper-cased names). */
function parseParams(head: string): { name: string; group: string | null; params: Record<string, string[]> } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const full = parts.shift()!.trim();
  const dot = full.lastIndexOf('.');
  const group = dot > 0 ? full.slice(0, dot) : null;
  const name = (dot > 0 ? full.slice(dot + 1) : full).toUpperCase();
  const params: Record<string, string[]> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? PARAM_NAMES_21[p.trim().toUpperCase()] ?? 'TYPE' : p.slice(0, eq).trim().toUpperCase();
    const raw = eq < 0 ? p.trim() : p.slice(eq + 1);
    const values = raw.split(',').map((v) => v.trim().replace(/^"(.*)"$/s, '$1')).filter(Boolean);
    (params[key] ??= []).push(...values);
  }
  return { name, group, params };
}

/** Decodes QUOTED-PRINTABLE (`=C3=BC` → bytes) in the named charset (UTF-8 when none). */
export function decodeQuotedPrintable(value: string, charset = 'UTF-8'): string {
  const bytes: number[] = [];
  const s = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  const cs = charset.toLowerCase();
  const buf = Buffer.from(bytes);
  if (cs === 'utf-8' || cs === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      return iconv.decode(buf, 'windows-1252');
    }
  }
  return iconv.encodingExists(cs) ? iconv.decode(buf, cs) : iconv.decode(buf, 'windows-1252');
}

/**
 * Reads every contact of a vCard text. Throws ImportRefused naming the line for what is not a vCard at all
 * (a property line without `:`, END without BEGIN, a contact never ended).
 */
export function parseVcards(text: string): VContact[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  // unfold: a line starting with a space or tab continues the one before (RFC 6350 3.2)
  const lines: { n: number; text: string }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    const last = lines[lines.length - 1];
    if ((l.startsWith(' ') || l.startsWith('\t')) && last) {
      if (last.text.length + l.length > VCARD_LIMITS.lineChars) throw new ImportRefused('imports.refused.vcardLine', { row: last.n });
      last.text += l.slice(1);
    } else lines.push({ n: i + 1, text: l });
  }
  const contacts: VContact[] = [];
  let cur: VContact | null = null;
  for (let i = 0; i < lines.length; i++) {
    let { text: line } = lines[i]!;
    const n = lines[i]!.n;
    if (!line.trim()) continue;
    const colon = findColon(line);
    if (colon < 0) {
      // base64 in vCard 2.1 may go on over lines without a leading space until a blank line
      if (cur && cur.props.length && isBinary(cur.props[cur.props.length - 1]!)) continue;
      throw new ImportRefused('imports.refused.vcardLine', { row: n });
    }
    const { name, group, params } = parseParams(line.slice(0, colon));
    if (name === 'BEGIN' && /^vcard$/i.test(line.slice(colon + 1).trim())) {
      if (cur) throw new ImportRefused('imports.refused.vcardUnended', { row: cur.line });
      if (contacts.length >= VCARD_LIMITS.contacts) throw new ImportRefused('imports.refused.vcardTooMany', { max: VCARD_LIMITS.contacts });
      cur = { line: n, props: [] };
      continue;
    }
    if (name === 'END' && /^vcard$/i.test(line.slice(colon + 1).trim())) {
      if (!cur) throw new ImportRefused('imports.refused.vcardLine', { row: n });
      contacts.push(cur);
      cur = null;
      continue;
    }
    if (!cur) throw new ImportRefused('imports.refused.vcardLine', { row: n });
    const encoding = (params.ENCODING?.[0] ?? '').toUpperCase();
    if (encoding === 'QUOTED-PRINTABLE') {
      // a soft line break (`=` at the end) joins the next line
      while (line.endsWith('=') && i + 1 < lines.length) line = `${line.slice(0, -1)}${lines[++i]!.text}`;
    }
    let value = line.slice(colon + 1);
    if (encoding === 'QUOTED-PRINTABLE') value = decodeQuotedPrintable(value, params.CHARSET?.[0]);
    cur.props.push({ group, name, params, value });
  }
  if (cur) throw new ImportRefused('imports.refused.vcardUnended', { row: cur.line });
  if (!contacts.length) throw new ImportRefused('imports.refused.empty');
  return contacts;
}

function isBinary(p: VProperty): boolean {
  const enc = (p.params.ENCODING?.[0] ?? '').toUpperCase();
  return enc === 'BASE64' || enc === 'B' || p.name === 'PHOTO' || p.name === 'LOGO' || p.name === 'SOUND' || p.name === 'KEY';
}

/** The `:` that ends the name and parameters (not one inside a quoted parameter value). */
function findColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

/** Splits at unescaped `sep` and unescapes `\n \, \; \\` (RFC 6350 3.4). */
export function splitEscaped(value: string, sep: ';' | ','): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i]!;
      cur += next === 'n' || next === 'N' ? '\n' : next;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function unescapeText(value: string): string {
  return splitEscaped(value, '\u0000' as ';').join('');
}

/** A contact as the columns of a people import. */
export interface ContactRow {
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  phone: string;
  organisation: string;
  job_title: string;
  city: string;
  postcode: string;
  country: string;
  website: string;
  notes: string;
  tags: string;
}

export const CONTACT_HEADERS: Record<keyof ContactRow, string> = {
  first_name: 'First name', last_name: 'Last name', full_name: 'Name', email: 'E-mail', phone: 'Phone', organisation: 'Organisation',
  job_title: 'Job title', city: 'City', postcode: 'Postcode', country: 'Country', website: 'Website', notes: 'Notes', tags: 'Tags',
};

/** Preferred first: PREF=1 (4.0) or TYPE=PREF (2.1/3.0), then file order. */
function preferred(props: VProperty[]): VProperty | undefined {
  const pref = (p: VProperty) => (p.params.PREF?.length ? Number(p.params.PREF[0]) || 1 : (p.params.TYPE ?? []).some((t) => t.toUpperCase() === 'PREF') ? 1 : 100);
  return [...props].sort((a, b) => pref(a) - pref(b))[0];
}

/** What a contact says about a person, in the columns of a people import. */
export function contactRow(c: VContact): ContactRow {
  const all = (name: string) => c.props.filter((p) => p.name === name && !isBinary(p));
  const text = (name: string) => {
    const p = preferred(all(name));
    return p ? unescapeText(p.value).trim() : '';
  };
  const n = all('N')[0];
  const [family = '', given = '', additional = ''] = n ? splitEscaped(n.value, ';').map((s) => splitEscaped(s, ',').join(' ').trim()) : [];
  const adr = preferred(all('ADR'));
  const [, , , locality = '', , code = '', country = ''] = adr ? splitEscaped(adr.value, ';').map((s) => s.trim()) : [];
  const org = all('ORG')[0];
  const tags = all('CATEGORIES').flatMap((p) => splitEscaped(p.value, ',')).map((s) => s.trim()).filter(Boolean);
  const email = preferred(all('EMAIL'));
  return {
    first_name: [given, additional].filter(Boolean).join(' '),
    last_name: family,
    full_name: text('FN'),
    email: email ? unescapeText(email.value).trim().replace(/^mailto:/i, '') : '',
    phone: text('TEL').replace(/^tel:/i, ''),
    organisation: org ? (splitEscaped(org.value, ';')[0] ?? '').trim() : '',
    job_title: text('TITLE'),
    city: locality,
    postcode: code,
    country,
    website: text('URL'),
    notes: all('NOTE').map((p) => unescapeText(p.value).trim()).filter(Boolean).join('\n'),
    tags: [...new Set(tags)].join('; '),
  };
}
