// The one check of a return-to address (`next` after login, a language switch, single sign-on): only a path on this
// site, so no parameter can send a user elsewhere (an open redirect).

/** `raw` when it is a path on this site, else `/`. */
export function safeNext(raw: unknown): string {
  const s = typeof raw === 'string' ? raw : '';
  if (!s.startsWith('/') || s.length > 2000) return '/';
  // `//host` and `/\host` are other sites to a browser; browsers drop tabs and line breaks from URLs before reading
  // them (`/<TAB>/host` becomes `//host`), so any control character or backslash disqualifies the path
  if (s.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(s)) return '/';
  return s;
}
