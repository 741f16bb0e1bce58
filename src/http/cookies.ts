// The signed cookies (the session cookie, the anonymous CSRF token): reading one from a request's Cookie header —
// the value, percent-decoded, or undefined when it is absent or mangled; no parsing of the cookies nobody asked
// for — and comparing a signature in constant time.
import { timingSafeEqual } from 'node:crypto';

/** Whether two strings are equal, in time that does not depend on where they differ. */
export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `at` starts a name=value pair of a Cookie header: at its start, or after ";" (and the one space browsers send). */
function startsPair(header: string, at: number): boolean {
  return at === 0 || header[at - 1] === ';' || (header[at - 1] === ' ' && (at === 1 || header[at - 2] === ';'));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const at = header.indexOf(`${name}=`);
  if (at < 0 || !startsPair(header, at)) {
    // not at the start of a pair (another cookie's name ends with this one's, or its value holds "name="): look
    // for it properly
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return decode(part.slice(eq + 1).trim());
    }
    return undefined;
  }
  const end = header.indexOf(';', at);
  return decode(header.slice(at + name.length + 1, end < 0 ? undefined : end).trim());
}

function decode(value: string): string | undefined {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return undefined; // a mangled cookie counts as none
  }
}
