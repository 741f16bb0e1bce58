// The pure sign-in rules: TOTP windows with a fixed clock, recovery codes, role mapping, domains, devices, and the
// OIDC settings read from the environment.
import { expect } from 'chai';
import { generate } from 'otplib';
import { checkTotp, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpStep, totpUri, twoFactorRequired } from '../../src/users/two-factor.domain.js';
import { emailDomainAllowed, roleFromClaims } from '../../src/users/oidc.domain.js';
import { deviceOf } from '../../src/users/sessions.domain.js';
import { ConfigError, loadConfig, parseRoleClaim } from '../../src/config.js';
import { ROLES } from '../../src/users/roles.domain.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 10);
const code = (secret: string, offsetSeconds: number) => generate({ secret, epoch: Math.floor(NOW / 1000) + offsetSeconds });

describe('TOTP (fixed clock)', () => {
  const secret = newTotpSecret();
  for (const [label, offset, ok] of [['previous step', -30, true], ['current step', 0, true], ['next step', 30, true],
    ['two steps back', -60, false], ['two steps ahead', 60, false]] as const) {
    it(`${label}: ${ok ? 'accepted' : 'refused'}`, async () => {
      expect((await checkTotp(secret, await code(secret, offset), NOW, null)).ok).to.equal(ok);
    });
  }
  it('a step at or before the last used one is refused (no replay)', async () => {
    const current = await code(secret, 0);
    const first = await checkTotp(secret, current, NOW, null);
    expect(first).to.deep.equal({ ok: true, step: totpStep(NOW) });
    expect((await checkTotp(secret, current, NOW, totpStep(NOW))).ok).to.equal(false);
    expect((await checkTotp(secret, await code(secret, -30), NOW, totpStep(NOW))).ok).to.equal(false);
    expect((await checkTotp(secret, await code(secret, 30), NOW, totpStep(NOW))).ok).to.equal(true);
  });
  it('refuses what is not six digits, and another secret’s code', async () => {
    for (const bad of ['', '12345', '1234567', 'abcdef']) expect((await checkTotp(secret, bad, NOW, null)).ok).to.equal(false);
    expect((await checkTotp(newTotpSecret(), await code(secret, 0), NOW, null)).ok).to.equal(false);
  });
  it('the otpauth URI names Skillnet and the account', () => {
    expect(totpUri(secret, 'ada@example.org')).to.match(/^otpauth:\/\/totp\/Skillnet:ada%40example\.org\?.*secret=/);
  });
});

describe('recovery codes', () => {
  it('ten different codes; the hash ignores case, spaces and dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    for (const c of codes) expect(c).to.match(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(recoveryCodeHash(codes[0]!)).to.equal(recoveryCodeHash(` ${codes[0]!.toUpperCase().replace('-', ' ')} `));
    expect(recoveryCodeHash(codes[0]!)).not.to.equal(recoveryCodeHash(codes[1]!));
  });
});

describe('who must use a second factor', () => {
  it('follows the policy', () => {
    expect(ROLES.map((r) => twoFactorRequired(r, 'off'))).to.deep.equal([false, false, false, false]);
    expect(ROLES.map((r) => twoFactorRequired(r, 'privileged'))).to.deep.equal([true, true, false, false]);
    expect(ROLES.map((r) => twoFactorRequired(r, 'all'))).to.deep.equal([true, true, true, true]);
  });
});

describe('single sign-on rules', () => {
  it('maps claim values to the most powerful role', () => {
    const rc = { claim: 'groups', map: { 'sn-admins': 'admin', office: 'manager', helpers: 'staff' } };
    expect(roleFromClaims({ groups: ['helpers', 'office'] }, rc)).to.equal('manager');
    expect(roleFromClaims({ groups: 'sn-admins' }, rc)).to.equal('admin');
    expect(roleFromClaims({ groups: ['other'] }, rc)).to.equal(null);
    expect(roleFromClaims({}, rc)).to.equal(null);
    expect(roleFromClaims({ groups: [{ x: 1 }, 42] }, rc)).to.equal(null);
  });
  it('checks e-mail domains exactly', () => {
    expect(emailDomainAllowed('a@example.org', [])).to.equal(true);
    expect(emailDomainAllowed('a@Example.org', ['example.org'])).to.equal(true);
    expect(emailDomainAllowed('a@evil-example.org', ['example.org'])).to.equal(false);
    expect(emailDomainAllowed('a@sub.example.org', ['example.org'])).to.equal(false);
    expect(emailDomainAllowed('example.org', ['example.org'])).to.equal(false);
  });
  it('names devices from user agents', () => {
    expect(deviceOf('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).to.deep.equal({ browser: 'Chrome', system: 'Linux' });
    expect(deviceOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).to.deep.equal({ browser: 'Edge', system: 'Windows' });
    expect(deviceOf(undefined)).to.deep.equal({ browser: null, system: null });
  });
});

describe('OIDC settings from the environment', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: ':memory:' };
  it('off without OIDC_ISSUER; read fully with it', () => {
    expect(loadConfig(base).oidc).to.equal(null);
    const c = loadConfig({ ...base, OIDC_ISSUER: 'https://login.example.org/realms/x', OIDC_CLIENT_ID: 'skillnet', OIDC_CLIENT_SECRET: 's',
      OIDC_ALLOWED_DOMAINS: 'Example.org, @verein.de', OIDC_ROLE_CLAIM: 'groups:sn-admins=admin,office=manager' });
    expect(c.oidc).to.deep.equal({ issuer: 'https://login.example.org/realms/x', clientId: 'skillnet', clientSecret: 's',
      allowedDomains: ['example.org', 'verein.de'], roleClaim: { claim: 'groups', map: { 'sn-admins': 'admin', office: 'manager' } } });
  });
  it('HTTPS only, except on this machine', () => {
    for (const ok of ['http://localhost:8080', 'http://127.0.0.1:5556/dex', 'https://accounts.google.com']) {
      expect(loadConfig({ ...base, OIDC_ISSUER: ok, OIDC_CLIENT_ID: 'x' }).oidc?.issuer).to.equal(ok);
    }
    for (const bad of ['http://login.example.org', 'http://10.0.0.5', 'ftp://localhost', 'not a url', 'http://localhost.evil.example']) {
      expect(() => loadConfig({ ...base, OIDC_ISSUER: bad, OIDC_CLIENT_ID: 'x' }), bad).to.throw(ConfigError, /OIDC_ISSUER/);
    }
  });
  it('refuses a missing client id, a bad domain and an unknown role', () => {
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://x.example' })).to.throw(ConfigError, /OIDC_CLIENT_ID/);
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://x.example', OIDC_CLIENT_ID: 'x', OIDC_ALLOWED_DOMAINS: 'not a domain' })).to.throw(ConfigError, /OIDC_ALLOWED_DOMAINS/);
    expect(() => parseRoleClaim('groups:a=owner', ROLES)).to.throw(ConfigError, /OIDC_ROLE_CLAIM/);
    expect(parseRoleClaim('roles', ROLES)).to.deep.equal({ claim: 'roles', map: { admin: 'admin', manager: 'manager', staff: 'staff', viewer: 'viewer' } });
  });
});
