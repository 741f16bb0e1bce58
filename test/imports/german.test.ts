// German is German everywhere (issue 13 §7): the import preview names skills in the interface language.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { importCsv } from './helpers.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';

describe('imports in German', function () {
  this.timeout(120000);
  let db: Knex;
  beforeEach(async () => {
    db = await testDb();
    await createSkill(db, SYSTEM_ACTOR, { name: 'Graphic design', name_de: 'Grafikdesign', category_id: null, description: null, aliases: [] });
  });
  afterEach(async () => { await db.destroy(); });

  it('the preview names skills in German for a German interface, in English otherwise; both names map to the one skill', async () => {
    const file = 'Name;E-Mail;Fähigkeiten\nAnn Lee;ann@example.org;Grafikdesign (3/4)\nBo Berg;bo@example.org;Graphic design (2)\n';
    const de = await importCsv(db, file, { dryRun: true, lang: 'de' });
    expect(de.changes.map((c) => c.skills)).to.deep.equal([['Grafikdesign (3)'], ['Grafikdesign (2)']]);
    expect(de.unknownSkills).to.deep.equal([]);
    const en = await importCsv(db, file, { dryRun: true });
    expect(en.changes.map((c) => c.skills)).to.deep.equal([['Graphic design (3)'], ['Graphic design (2)']]);
  });
});

describe('change history in German', function () {
  this.timeout(120000);
  it('a person\'s history names skills by their German names in the German interface, English otherwise', async () => {
    const { testEnv, login } = await import('../support/app.js');
    const { buildNetwork } = await import('../search/network.js');
    const env = await testEnv();
    try {
      const net = await buildNetwork(env.db);
      const { validatePerson } = await import('../../src/people/people.domain.js');
      const { updatePerson } = await import('../../src/people/people.queries.js');
      const r = validatePerson({
        first_name: 'Jürgen', last_name: 'Müller', email: 'juergen@example.org', kind: 'freelancer', availability: 'available',
        skill_id: [String(net.skills.seo), String(net.skills.photo)], skill_level: ['2', '1'],
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      await updatePerson(env.db, SYSTEM_ACTOR, net.people.jurgen, r.value);
      // the history is for those who may read the audit trail
      const v = await login(env, 'm@example.org', 'manager');
      const history = (html: string) => html.slice(html.indexOf('class="card history"'));
      const de = history((await v.agent.get(`/people/${net.people.jurgen}`).set('Accept-Language', 'de')).text);
      expect(de).to.contain('Fotografie (1)').and.to.contain('Suchmaschinenoptimierung (2)').and.to.not.contain('Photography');
      const en = history((await v.agent.get(`/people/${net.people.jurgen}`)).text);
      expect(en).to.contain('Photography (1)').and.to.contain('SEO (2)');
    } finally {
      await env.close();
    }
  });
});
