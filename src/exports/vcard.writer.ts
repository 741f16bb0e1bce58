// People as vCard 3.0 (RFC 2426): one card per person, text escaped, lines folded at 75 octets, CRLF. Streams
// a search result with backpressure, as the CSV writer does.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { isReceiverGone, type CsvStreamResult } from './csv.writer.js';
import type { PersonExportRow } from './columns.domain.js';

/** Escapes a text value (RFC 2426 §4: backslash, comma, semicolon, line breaks). */
export function escapeText(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without cutting a UTF-8 character; continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length ? 74 : 75;
    if (bytes + n > limit) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

type Card = Pick<PersonExportRow, 'id' | 'first_name' | 'last_name' | 'email' | 'phone' | 'city' | 'postcode' | 'country' | 'organisation' | 'job_title' | 'portfolio_url' | 'notes' | 'tags'>;

/** One person's vCard 3.0. Tags become CATEGORIES; skills are not part of a contact card. */
export function vcardOf(p: Card): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0'];
  const first = p.first_name ?? '';
  const last = p.last_name ?? '';
  lines.push(`N:${escapeText(last)};${escapeText(first)};;;`);
  lines.push(`FN:${escapeText(`${first} ${last}`.trim() || p.email || '')}`);
  if (p.email) lines.push(`EMAIL;TYPE=INTERNET:${escapeText(p.email)}`);
  if (p.phone) lines.push(`TEL:${escapeText(p.phone)}`);
  if (p.organisation) lines.push(`ORG:${escapeText(p.organisation)}`);
  if (p.job_title) lines.push(`TITLE:${escapeText(p.job_title)}`);
  if (p.city || p.postcode || p.country) lines.push(`ADR:;;;${escapeText(p.city ?? '')};;${escapeText(p.postcode ?? '')};${escapeText(p.country ?? '')}`);
  if (p.portfolio_url) lines.push(`URL:${escapeText(p.portfolio_url)}`);
  if (p.notes) lines.push(`NOTE:${escapeText(p.notes)}`);
  const tags = (p.tags ?? '').split('; ').map((t) => t.trim()).filter(Boolean);
  if (tags.length) lines.push(`CATEGORIES:${tags.map(escapeText).join(',')}`);
  lines.push(`UID:skillnet-person-${p.id}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Streams people as vCards into `out`; a receiver going away ends it early (an incomplete result). */
export async function streamVcards(rows: Iterable<Card> | AsyncIterable<Card>, out: Writable, o: { end?: boolean } = {}): Promise<CsvStreamResult> {
  let gone = false;
  const onError = (err: unknown) => {
    if (isReceiverGone(err)) gone = true;
  };
  out.on('error', onError);
  let count = 0;
  try {
    for await (const p of rows) {
      if (gone || out.destroyed) {
        gone = true;
        break;
      }
      count++;
      if (!out.write(vcardOf(p))) await Promise.race([once(out, 'drain'), once(out, 'close')]).catch(() => undefined);
    }
    if (!gone && o.end !== false) {
      out.end();
      if (!out.writableFinished) await Promise.race([once(out, 'finish'), once(out, 'close')]).catch(() => undefined);
    }
  } finally {
    out.off('error', onError);
  }
  return { rows: count, complete: !gone };
}
