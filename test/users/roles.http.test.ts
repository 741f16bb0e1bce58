// The README's role table, tried for real: every row × every role, through HTTP with a real login. The table is
// read from README.md, so the documentation and the permissions cannot drift apart.
import { setSetting } from '../../src/settings/settings.queries.js';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';
import { ROLES, type Role } from '../../src/users/roles.domain.js';

type Cell = 'yes' | 'no' | 'own organisation' | 'yes¹';

/** The rows of README.md's "## Roles" table: label → one cell per role (columns admin, manager, staff, viewer). */
function readmeRoleTable(): Map<string, Record<Role, Cell>> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Roles'), readme.indexOf('\n## ', readme.indexOf('## Roles') + 5));
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0]!.split('|').slice(2, -1).map((c) => c.trim());
  expect(header).to.deep.equal([...ROLES]);
  const rows = new Map<string, Record<Role, Cell>>();
  for (const line of lines.slice(2)) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set(cells[0]!, Object.fromEntries(ROLES.map((r, i) => [r, cells[i + 1] as Cell])) as Record<Role, Cell>);
  }
  return rows;
}

interface Ids { person: number; org: number; otherOrg: number; project: number; otherProject: number; skill: number }

/** A probe answers whether the role could do it: true (allowed), false (refused); anything else fails the test. */
type Probe = (u: LoggedIn, ids: Ids) => Promise<boolean>;

const page = (path: (ids: Ids) => string): Probe => async (u, ids) => {
  const res = await u.agent.get(path(ids));
  if (res.status === 200) return true;
  if (res.status === 403) return false;
  throw new Error(`${path(ids)} answered ${res.status}`);
};
const shows = (path: (ids: Ids) => string, marker: string): Probe => async (u, ids) => {
  const res = await u.agent.get(path(ids));
  expect(res.status, path(ids)).to.equal(200);
  return res.text.includes(marker);
};

/** How each README row is tried: every probe of a row must agree with the row's cell. */
const PROBES: Record<string, Probe[]> = {
  "search and read people, skills, organisations, projects, insights and saved searches (also the pickers' `/pickers/…` type-ahead and a project's suggestions and shortlist)": [
    page(() => '/people'), page((i) => `/people/${i.person}`), page(() => '/skills'), page(() => '/organisations'),
    page((i) => `/organisations/${i.org}`), page(() => '/projects'), page((i) => `/projects/${i.project}`), page(() => '/insights'), page(() => '/searches'),
    page((i) => `/projects/${i.project}/shortlist`), page((i) => `/projects/${i.project}/suggestions`),
    page(() => '/pickers/people?q=r'), page(() => '/pickers/organisations?q=o'), page(() => '/pickers/projects?q=o'), page(() => '/pickers/skills?q=r'),
  ],
  "see the change history on a person's, organisation's or project's page, and who recorded each consent": [
    shows((i) => `/people/${i.person}`, 'id="hist-h"'), shows((i) => `/organisations/${i.org}`, 'id="hist-h"'),
    shows((i) => `/projects/${i.project}`, 'id="hist-h"'), shows((i) => `/people/${i.person}`, 'consent-history'),
    shows((i) => `/people/${i.person}/privacy`, 'consent-history'),
  ],
  'add and edit people': [page(() => '/people/new'), page((i) => `/people/${i.person}/edit`)],
  "record and withdraw a person's consents, confirm their details are current": [
    page((i) => `/people/${i.person}/consents/new`), shows((i) => `/people/${i.person}`, '/confirm"'),
  ],
  'delete people': [page((i) => `/people/${i.person}/delete`)],
  'act on many people of a search at once: add or remove a tag, mark do not contact, and undo it': [
    page(() => '/people/bulk?action=tag_add&scope=all'), page(() => '/people/bulk?action=tag_remove&scope=all'), page(() => '/people/bulk?action=dnc&scope=all'),
  ],
  'delete many people of a search at once': [page(() => '/people/bulk?action=delete&scope=all')],
  'data protection: a person\'s data download, erasure, the review of stale records': [
    page((i) => `/people/${i.person}/erase`), page((i) => `/people/${i.person}/data-export?format=json`), page(() => '/privacy/review'),
  ],
  'people\'s own update links, "please check your details" mails, join and erasure requests': [
    page((i) => `/people/${i.person}/links`), page(() => '/campaigns'), page(() => '/campaigns/new'), page(() => '/requests'),
  ],
  'find duplicate people and merge them (and undo a merge)': [page(() => '/people/duplicates')],
  'check the languages the move to language codes could not read (`/people/languages`)': [page(() => '/people/languages')],
  'create, edit, merge and delete skills': [
    page(() => '/skills/new'), page((i) => `/skills/${i.skill}/edit`), page((i) => `/skills/${i.skill}/merge`), page((i) => `/skills/${i.skill}/delete`),
  ],
  'create, edit and delete organisations': [
    page(() => '/organisations/new'), page((i) => `/organisations/${i.org}/edit`), page((i) => `/organisations/${i.org}/delete`),
  ],
  'create and edit projects and their engagements': [
    page(() => '/projects/new'), page((i) => `/projects/${i.project}/edit`), page((i) => `/projects/${i.project}/engagements/new`),
  ],
  "change a project's shortlist: add people, mark them asked, record acceptance (the engagement) or a decline": [
    page((i) => `/projects/${i.project}/shortlist/${i.person}/delete`),
  ],
  'imports and their undo': [page(() => '/imports'), page(() => '/imports/new')],
  'export lists (people, organisations, projects, engagements)': [
    page(() => '/people.csv'), page(() => '/organisations.csv'), page(() => '/projects.csv'), page(() => '/engagements.csv'), page(() => '/exports/people'),
  ],
  'export the whole network (`/exports`)': [page(() => '/exports')],
  'users and settings (`/users`)': [page(() => '/users'), page(() => '/users/new'), page(() => '/users/1/two-factor/reset')],
  'the mail outbox (`/outbox`)': [page(() => '/outbox')],
  'their own account: two-factor sign-in, active sessions (`/account`)': [page(() => '/account'), page(() => '/account/2fa')],
  'own API tokens (`/account/tokens`) and the API reference (`/api/docs`)': [page(() => '/account/tokens'), page(() => '/api/docs')],
  "everyone's API tokens and service tokens (`/users/tokens`)": [page(() => '/users/tokens')],
  'webhooks and their delivery log (`/webhooks`)': [page(() => '/webhooks'), page(() => '/webhooks/new')],
};

/** For "own organisation": the same pages for a project of another organisation must be refused. */
const OTHER_ORGANISATION: Probe[] = [
  page((i) => `/projects/${i.otherProject}/edit`), page((i) => `/projects/${i.otherProject}/engagements/new`),
  page((i) => `/projects/${i.otherProject}/shortlist/${i.person}/delete`),
];

describe('roles × pages (README "Roles" table)', () => {
  let env: TestEnv;
  let ids: Ids;
  const users = {} as Record<Role, LoggedIn>;
  const table = readmeRoleTable();

  before(async () => {
    env = await testEnv();
    const org = await addOrganisation(env.db, 'Own Org');
    const otherOrg = await addOrganisation(env.db, 'Other Org');
    const person = await addPerson(env.db, 'Rita', 'Roles');
    ids = {
      person, org, otherOrg, skill: await addSkill(env.db, 'Roleplay'),
      project: await addProject(env.db, org, 'Own project'), otherProject: await addProject(env.db, otherOrg, 'Other project'),
    };
    // on both projects' shortlists, so the removal page exists for every role to try
    await env.db('shortlist_entries').insert([ids.project, ids.otherProject].map((project_id) => ({ project_id, person_id: person, state: 'shortlisted', created_at: 'x', updated_at: 'x' })));
    await env.db('consents').insert({ person_id: person, purpose: 'newsletter', status: 'given', created_at: '2026-01-01T00:00:00.000Z' });
    for (const role of ROLES) users[role] = await login(env, `${role}@example.org`, role, role === 'staff' ? org : null);
  });
  after(async () => { await env.close(); });

  it('every README row has probes, and every probe a README row', () => {
    expect([...table.keys()].sort()).to.deep.equal(Object.keys(PROBES).sort());
  });

  for (const [label, probes] of Object.entries(PROBES)) {
    for (const role of ROLES) {
      it(`${role}: ${label}`, async () => {
        const cell = table.get(label)?.[role];
        expect(cell, 'README cell').to.be.oneOf(['yes', 'no', 'own organisation', 'yes¹']);
        const allowed = cell !== 'no';
        for (const probe of probes) expect(await probe(users[role], ids), `${probe}`).to.equal(allowed);
        if (cell === 'own organisation') {
          for (const probe of OTHER_ORGANISATION) expect(await probe(users[role], ids)).to.equal(false);
        }
        if (cell === 'yes¹') {
          // an admin restricts list exports to managers: then this role is refused
          await setSetting(env.db, 'exports_restricted', '1'); // through the app's own writer (the policy is cached)
          try {
            for (const probe of probes) expect(await probe(users[role], ids)).to.equal(false);
          } finally {
            await setSetting(env.db, 'exports_restricted', '0');
          }
        }
      });
    }
  }
});
