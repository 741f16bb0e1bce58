// What a user sees of their sessions: a device named from the browser's user agent, the address, when last seen.

/** "Firefox on Windows", "Safari on iPhone", or null when the user agent says nothing we know. */
export function deviceOf(userAgent: string | undefined | null): { browser: string | null; system: string | null } {
  const ua = userAgent ?? '';
  const browser = /Edg(e|A|iOS)?\//.test(ua) ? 'Edge'
    : /OPR\/|Opera/.test(ua) ? 'Opera'
      : /Firefox\/|FxiOS\//.test(ua) ? 'Firefox'
        : /Chrome\/|CriOS\/|Chromium\//.test(ua) ? 'Chrome'
          : /Safari\//.test(ua) && /Version\//.test(ua) ? 'Safari'
            : /^curl\//.test(ua) ? 'curl' : null;
  const system = /iPhone/.test(ua) ? 'iPhone'
    : /iPad/.test(ua) ? 'iPad'
      : /Android/.test(ua) ? 'Android'
        : /Windows/.test(ua) ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
            : /CrOS/.test(ua) ? 'ChromeOS'
              : /Linux/.test(ua) ? 'Linux' : null;
  return { browser, system };
}

/** What a session row tells: its owner, where it started, and when it was last used. */
export interface SessionMeta {
  /** user agent, cut to 300 characters */
  ua: string;
  ip: string;
  /** ISO time of the sign-in */
  at: string;
  /** how the user signed in */
  method: 'password' | 'password+totp' | 'password+recovery' | 'oidc';
}

export interface SessionSummary {
  /** a handle for the forms: a hash of the session id, never the id itself */
  handle: string;
  current: boolean;
  browser: string | null;
  system: string | null;
  ip: string | null;
  signedInAt: string | null;
  lastSeenAt: string | null;
  method: SessionMeta['method'] | null;
}
