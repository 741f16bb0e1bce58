// Pure mail rules: one-line header values (no header injection), a strict address check, and the rendering of
// a mail's content into its text and HTML parts.
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** A header value on one line: line breaks and control characters become one space. */
export function oneLine(value: string | null | undefined, max = 250): string {
  return String(value ?? '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** A plain address (no name, no comments, no spaces or line breaks), or null. */
export function cleanAddress(value: string | null | undefined): string | null {
  const v = String(value ?? '').trim();
  if (v.length > 254 || !/^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+\.[^\s<>()[\]\\,;:"@]+$/.test(v)) return null;
  return v;
}

export interface MailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** a closing line under the action, e.g. why they got the mail */
  footer?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The text and HTML parts of one mail, with the same words in both. */
export function renderMail(c: MailContent, locale: string): RenderedMail {
  const text = [c.greeting, ...c.paragraphs, ...(c.action ? [`${c.action.label}:\n${c.action.url}`] : []), ...(c.footer ? [`-- \n${c.footer}`] : [])]
    .join('\n\n') + '\n';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">',
    `<p>${escapeHtml(c.greeting)}</p>`,
    ...c.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    ...(c.action ? [`<p><a href="${escapeHtml(c.action.url)}" style="font-weight: bold">${escapeHtml(c.action.label)}</a></p>`,
      `<p style="font-size: 0.9em; color: #555">${escapeHtml(c.action.url)}</p>`] : []),
    ...(c.footer ? [`<hr><p style="font-size: 0.9em; color: #555">${escapeHtml(c.footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(c.subject, 300), text, html };
}

/** How long to wait before the next attempt after `attempts` failures (1, 2, 4, 8 … minutes, at most an hour). */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

export const MAX_ATTEMPTS = 5;

/** The fields of a nodemailer error this code reads. */
export interface SendError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** A refusal for good (5xx, a refused recipient) as opposed to a fault worth retrying (connection, timeout, 4xx). */
export function isPermanent(err: SendError): boolean {
  if (err.code === 'EENVELOPE' && (err.responseCode ?? 0) >= 500) return true;
  return (err.responseCode ?? 0) >= 500 && err.code !== 'ECONNECTION' && err.code !== 'ETIMEDOUT' && err.code !== 'ESOCKET';
}

/** One line saying what went wrong, for /outbox, a paused campaign and `skillnet mail test`. */
export function describeSendError(err: SendError, smtpUrl: string | null): string {
  let where = 'the mail server';
  if (smtpUrl) {
    try {
      const u = new URL(smtpUrl);
      where = `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
    } catch { /* keep the generic name */ }
  }
  const response = err.response ? ` (server said: ${oneLine(err.response, 200)})` : '';
  const code = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\b/.test(err.message ?? '') ? 'ECONNREFUSED'
    : /\b(ENOTFOUND|EAI_AGAIN)\b/.test(err.message ?? '') ? 'EDNS' : err.code;
  switch (code) {
    case 'ECONNECTION':
    case 'ECONNREFUSED':
      return `cannot connect to ${where}: ${oneLine(err.message, 200)}`;
    case 'ETIMEDOUT':
      return `${where} did not answer in time: ${oneLine(err.message, 200)}`;
    case 'EDNS':
      return `cannot find the mail server's address: ${oneLine(err.message, 200)}`;
    case 'EAUTH':
      return `${where} refused the user name or password${response}`;
    case 'ETLS':
      return `the encrypted connection to ${where} failed: ${oneLine(err.message, 200)}`;
    case 'EENVELOPE':
      return `${where} refused the sender or recipient${response}`;
    case 'ESOCKET':
      return `the connection to ${where} broke: ${oneLine(err.message, 200)}`;
    case 'EMESSAGE':
      return `${where} refused the message${response}`;
    default:
      return `${oneLine(err.message ?? String(err), 200)}${response}`;
  }
}
