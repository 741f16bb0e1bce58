// The features register their messages (src/features.ts); src/i18n/ and src/http/ know no feature.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalog, registerMessages } from '../../src/i18n/catalog.js';
import { FEATURE_MESSAGES } from '../../src/features.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** The relative imports of a source file that leave its own folder. */
function importsOutside(file: string, text = readFileSync(file, 'utf8')): string[] {
  return [...text.matchAll(/^\s*import\b[^'"]*['"](\.[^'"]+)['"]/gm)].map((m) => m[1]!).filter((p) => p.startsWith('../'));
}

describe('message catalogues registered by the features', () => {
  it('src/i18n imports nothing from a feature', () => {
    const files = tsFiles('src/i18n');
    expect(files.length).to.be.greaterThan(1);
    expect(files.flatMap((f) => importsOutside(f).map((p) => `${f}: ${p}`))).to.deep.equal([]);
    // the check can fail: a file that reaches into a feature is found
    expect(importsOutside('x.ts', "import { peopleMessages } from '../people/people.messages.js';\nimport { a } from './i18n.js';\n"))
      .to.deep.equal(['../people/people.messages.js']);
  });

  it('every *.messages.ts under src/ is registered (core by the catalogue itself)', async () => {
    const files = tsFiles('src').filter((f) => f.endsWith('.messages.ts'));
    expect(files.length).to.be.greaterThan(10);
    for (const f of files) {
      const mod = (await import(path.resolve(f))) as Record<string, unknown>;
      const sets = Object.values(mod).filter((v): v is { en: Record<string, string> } => typeof v === 'object' && v !== null && 'en' in v);
      expect(sets, f).to.have.length(1);
      const [first] = Object.keys(sets[0]!.en);
      expect(catalog.en[first!], `${f} registered`).to.equal(sets[0]!.en[first!]);
    }
    expect(FEATURE_MESSAGES.length).to.equal(files.length - 1);
  });

  it('registering twice is harmless; a key taken by another catalogue is refused and changes nothing', () => {
    const before = Object.keys(catalog.en).length;
    registerMessages(FEATURE_MESSAGES[0]!);
    expect(Object.keys(catalog.en).length).to.equal(before);
    const clash = { en: { 'test.fresh': 'Fresh', 'layout.save': 'Save!' }, de: { 'test.fresh': 'Frisch', 'layout.save': 'Speichern!' } };
    expect(() => registerMessages(clash)).to.throw(/duplicate message key/);
    expect(catalog.en['test.fresh']).to.equal(undefined);
    expect(catalog.en['layout.save']).to.not.equal('Save!');
  });
});
