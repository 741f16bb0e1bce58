// A real OpenID Connect provider (oidc-provider) in the test process on 127.0.0.1, and a driver that signs in through
// the whole redirect flow: Skillnet → the provider's login and consent forms (devInteractions) → Skillnet's callback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import request from 'supertest';
import type { OidcConfig } from '../../src/config.js';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  /** the accounts the provider knows, by subject (the login typed on its form); change them between sign-ins */
  accounts: Record<string, ProviderAccount>;
  /** the Skillnet settings that use this provider */
  config(extra?: Partial<OidcConfig>): OidcConfig;
  close(): Promise<void>;
}

export const CLIENT_ID = 'skillnet-test';
export const CLIENT_SECRET = 'a-client-secret-for-tests-only';

/** Starts a provider whose one client is Skillnet at `publicUrl` (its redirect URI is /login/oidc/callback there); a
 *  function when Skillnet's address is known only later (read at the provider's first request). */
export async function startProvider(publicUrlOf: string | (() => string), opts: { port?: number } = {}): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const accounts: Record<string, ProviderAccount> = {};
  const makeProvider = (publicUrl: string) => new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${publicUrl}/login/oidc/callback`],
      post_logout_redirect_uris: [`${publicUrl}/login`], grant_types: ['authorization_code'], response_types: ['code'],
    }],
    async findAccount(_ctx, sub) {
      return { accountId: sub, async claims() { return { sub, ...(accounts[sub] ?? {}) }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  let callback: ReturnType<Provider['callback']> | null = null;
  server.on('request', (req, res) => {
    callback ??= makeProvider(typeof publicUrlOf === 'string' ? publicUrlOf : publicUrlOf()).callback();
    return callback(req, res);
  });
  return {
    issuer,
    accounts,
    config: (extra = {}) => ({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowedDomains: [], roleClaim: null, ...extra }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Follows the provider's redirects from `authorizeUrl`, signing in as `subject` on its login form and agreeing on its
 * consent form, until it sends the browser back to Skillnet; returns that URL (the callback with code and state).
 */
export async function passProvider(authorizeUrl: string, subject: string): Promise<URL> {
  let url = new URL(authorizeUrl);
  const browser = request.agent(url.origin);
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== new URL(authorizeUrl).origin) return url;
    const res = await browser.get(url.pathname + url.search);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.location!, url);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(res.text)?.[1];
    if (res.status !== 200 || !action || !prompt) throw new Error(`the provider answered ${res.status}: ${res.text.slice(0, 300)}`);
    const form = prompt === 'login' ? { prompt, login: subject, password: 'anything' } : { prompt };
    const posted = await browser.post(new URL(action, url).pathname).type('form').send(form);
    if (!posted.headers.location) throw new Error(`the provider's ${prompt} form answered ${posted.status}`);
    url = new URL(posted.headers.location, url);
  }
  throw new Error('too many redirects at the provider');
}
