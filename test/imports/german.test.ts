// German is German everywhere (issue 13 §7): the import preview names skills in the interface language.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { importCsv } from './helpers.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';

describe('imports in German', function () {
  this.timeout(30000);
  let db: Knex;
  beforeEach(async () => {
    db = await testDb();
    await createSkill(db, SYSTEM_ACTOR, { name: 'Graphic design', name_de: 'Grafikdesign', category_id: null, description: null, aliases: [] });
  });
  afterEach(async () => { await db.destroy(); });

  it('the preview names skills in German for a German interface, in English otherwise; both names map to the one skill', async () => {
    const file = 'Name;E-Mail;Fähigkeiten\nAnn Lee;ann@example.org;Grafikdesign (3)\nBo Berg;bo@example.org;Graphic design (2)\n';
    const de = await importCsv(db, file, { dryRun: true, lang: 'de' });
    expect(de.changes.map((c) => c.skills)).to.deep.equal([['Grafikdesign (3)'], ['Grafikdesign (2)']]);
    expect(de.unknownSkills).to.deep.equal([]);
    const en = await importCsv(db, file, { dryRun: true });
    expect(en.changes.map((c) => c.skills)).to.deep.equal([['Graphic design (3)'], ['Graphic design (2)']]);
  });
});
