import { expect } from 'chai';
import { organisationsMessages } from '../../src/organisations/organisations.messages.js';
import { projectsMessages } from '../../src/projects/projects.messages.js';
import { engagementsMessages } from '../../src/engagements/engagements.messages.js';
import { insightsMessages } from '../../src/insights/insights.messages.js';
import { homeMessages } from '../../src/home/home.messages.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { ORG_KINDS } from '../../src/organisations/organisations.domain.js';
import { PROJECT_KINDS, PROJECT_STATUSES } from '../../src/projects/projects.domain.js';

describe('messages of organisations, projects, engagements, insights and home', () => {
  const sets = { organisationsMessages, projectsMessages, engagementsMessages, insightsMessages, homeMessages };
  for (const [name, set] of Object.entries(sets)) {
    it(`${name}: English and German have the same keys, none empty`, () => {
      expect(Object.keys(set.de).sort()).to.deep.equal(Object.keys(set.en).sort());
      for (const v of [...Object.values(set.en), ...Object.values(set.de)]) expect(v.trim()).to.not.equal('');
    });
  }

  it('every organisation kind, project kind and status has a label in both languages', () => {
    const keys = [...ORG_KINDS.map((k) => `orgKinds.${k}`), ...PROJECT_KINDS.map((k) => `projectKinds.${k}`), ...PROJECT_STATUSES.map((s) => `projectStatus.${s}`)];
    for (const k of keys) {
      expect(catalog.en, k).to.have.property(k);
      expect(catalog.de, k).to.have.property(k);
    }
  });
});
