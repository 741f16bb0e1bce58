// Writes during an import (issue 11, reliability 1: "logins, form saves and exports succeed"): besides reading
// /health and a page, the client signs in afresh, saves a person's form unchanged through the real edit form
// (CSRF token and version included) and downloads a small CSV export, each counted as done or failed.
import { PROXY_HEADERS, login } from './servers.js';

export interface WriteProbe {
  logins: number;
  login_failures: number;
  saves: number;
  save_failures: number;
  exports: number;
  export_failures: number;
  /** the first failure of each kind, for the log */
  first_errors: string[];
}

export function newWriteProbe(): WriteProbe {
  return { logins: 0, login_failures: 0, saves: 0, save_failures: 0, exports: 0, export_failures: 0, first_errors: [] };
}

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : null;
};

/** The fields a browser would send for the page's POST form to `action`, unchanged (no button pressed). */
export function formFields(html: string, action: string): { action: string; fields: [string, string][] } | null {
  const form = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => decode(f[1]!) === action);
  if (!form) return null;
  const body = form[2]!;
  const fields: [string, string][] = [];
  for (const m of body.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || ['submit', 'button', 'file', 'image', 'reset'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(m[1]!, 'name');
    if (name) fields.push([name, decode(m[2]!.replace(/^\n/, ''))]);
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(m[1]!, 'name');
    if (!name) continue;
    const options = [...m[2]!.matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
    const chosen = options.filter((o) => /\sselected\b/.test(o));
    for (const o of chosen.length ? chosen : options.slice(0, 1)) fields.push([name, attr(o, 'value') ?? '']);
  }
  return { action: decode(form[1]!), fields };
}

function failed(p: WriteProbe, what: string, detail: string): void {
  if (!p.first_errors.some((e) => e.startsWith(what))) p.first_errors.push(`${what}: ${detail}`.slice(0, 300));
}

/** One round: a fresh login, a person's form saved unchanged, a small export. */
export async function writeRound(baseUrl: string, cookie: string, personId: number, p: WriteProbe): Promise<void> {
  try {
    await login(baseUrl);
    p.logins++;
  } catch (err) {
    p.login_failures++;
    failed(p, 'login', (err as Error).message);
  }
  const headers = { ...PROXY_HEADERS, cookie };
  try {
    const page = await fetch(`${baseUrl}/people/${personId}/edit`, { headers, redirect: 'manual' });
    const form = page.status === 200 ? formFields(await page.text(), `/people/${personId}`) : null;
    if (!form) throw new Error(`edit form answered ${page.status}`);
    const res = await fetch(new URL(form.action, baseUrl), {
      method: 'POST', redirect: 'manual',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.fields).toString(),
    });
    const text = await res.text();
    if (res.status !== 302 || !(res.headers.get('location') ?? '').endsWith(`/people/${personId}`)) throw new Error(`save answered ${res.status} ${text.slice(0, 120).replace(/\s+/g, ' ')}`);
    p.saves++;
  } catch (err) {
    p.save_failures++;
    failed(p, 'save', (err as Error).message);
  }
  try {
    const res = await fetch(`${baseUrl}/people.csv?q=schmidt`, { headers, redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('\r\n')) throw new Error(`export answered ${res.status}`);
    p.exports++;
  } catch (err) {
    p.export_failures++;
    failed(p, 'export', (err as Error).message);
  }
}
