import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config: mail settings', () => {
  const load = (env: Record<string, string>) => loadConfig({ DATABASE_URL: ':memory:', ...env }, '/srv/skillnet');

  it('has defaults that work on a fresh install (no SMTP: the outbox folder)', () => {
    const c = load({});
    expect(c).to.deep.include({ smtpUrl: null, mailFrom: 'Skillnet <skillnet@localhost>', publicUrl: 'http://127.0.0.1:3000', mailRatePerMinute: 60, meLinkDays: 60 });
    expect(load({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).to.equal('http://localhost:8080');
  });

  it('takes SMTP_URL, MAIL_FROM, PUBLIC_URL, MAIL_RATE_PER_MINUTE, ME_LINK_DAYS', () => {
    const c = load({ SMTP_URL: 'smtps://u:p@mail.example.org:465', MAIL_FROM: 'Tafel <skills@tafel.example.org>', PUBLIC_URL: 'https://skills.example.org/', MAIL_RATE_PER_MINUTE: '0', ME_LINK_DAYS: '14' });
    expect(c).to.deep.include({ smtpUrl: 'smtps://u:p@mail.example.org:465', mailFrom: 'Tafel <skills@tafel.example.org>', publicUrl: 'https://skills.example.org', mailRatePerMinute: 0, meLinkDays: 14 });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ SMTP_URL: 'mail.example.org' }, /SMTP_URL is not a URL/],
    [{ SMTP_URL: 'http://mail.example.org' }, /must start with smtp:\/\/ or smtps:\/\//],
    [{ MAIL_FROM: 'Skillnet' }, /MAIL_FROM must be an e-mail address/],
    [{ MAIL_FROM: 'a@b.org\r\nBcc: x@y.org' }, /MAIL_FROM must be one line/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must start with http/],
    [{ ME_LINK_DAYS: '0' }, /ME_LINK_DAYS must be a whole number/],
    [{ MAIL_RATE_PER_MINUTE: 'fast' }, /MAIL_RATE_PER_MINUTE must be a whole number/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with one clear line`, () => {
      expect(() => load(env)).to.throw(ConfigError, message);
    });
  }

  it('never repeats the SMTP password in an error', () => {
    expect(() => load({ SMTP_URL: 'http://user:secret@host' })).to.throw(ConfigError).with.property('message').that.does.not.contain('secret');
  });
});
