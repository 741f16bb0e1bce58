import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../src/config.js';

describe('config', () => {
  const cwd = '/srv/app';
  const urls: [string | undefined, string][] = [
    [undefined, '/srv/app/data/skillnet.sqlite'],
    ['sqlite:db/x.sqlite', '/srv/app/db/x.sqlite'],
    ['sqlite:/var/lib/skillnet.sqlite', '/var/lib/skillnet.sqlite'],
    ['sqlite:///var/lib/s.sqlite', '/var/lib/s.sqlite'],
    ['other/y.sqlite', '/srv/app/other/y.sqlite'],
    [':memory:', ':memory:'],
  ];
  for (const [url, expected] of urls) {
    it(`DATABASE_URL=${url} → ${expected}`, () => expect(parseDatabaseUrl(url, cwd)).to.equal(expected));
  }

  it('defaults: port 3000 on 127.0.0.1', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sn-'));
    const c = loadConfig({}, dir);
    expect(c.port).to.equal(3000);
    expect(c.host).to.equal('127.0.0.1');
    expect(c.databaseFile).to.equal(path.join(dir, 'data/skillnet.sqlite'));
  });

  it('generates a session secret once and keeps it in the data folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sn-'));
    const a = loadConfig({}, dir).sessionSecret;
    const b = loadConfig({}, dir).sessionSecret;
    expect(a).to.have.length.greaterThan(30);
    expect(b).to.equal(a);
    expect(readFileSync(path.join(dir, 'data/session-secret'), 'utf8').trim()).to.equal(a);
  });

  it('production without SESSION_SECRET stops with one clear line', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, '/tmp')).to.throw(ConfigError, /SESSION_SECRET is required/);
  });

  it('rejects a non-numeric PORT', () => {
    expect(() => loadConfig({ PORT: 'abc', SESSION_SECRET: 'x'.repeat(20) }, '/tmp')).to.throw(ConfigError, /PORT/);
  });
});
