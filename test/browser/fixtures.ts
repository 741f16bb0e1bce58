// A small, known directory for the browser suite: two admins (English, German), skills in categories, people
// with skills, tags and consents, organisations with projects (needed skills, a team, one project with nothing
// yet), engagements and a stale record, so every main page renders its full state and the empty ones exist too.
import type { Knex } from 'knex';
import { addPersonRequest, createPersonLink } from '../../src/me/me.queries.js';
import { addApplication, confirmApplication } from '../../src/join/join.queries.js';
import { createAccountLink } from '../../src/accounts/account-links.queries.js';
import { SYSTEM_ACTOR, type Actor } from '../../src/audit/audit.queries.js';
import { validateEngagement } from '../../src/engagements/engagements.domain.js';
import { createEngagement, updateEngagement } from '../../src/engagements/engagements.queries.js';
import { validateOrganisation } from '../../src/organisations/organisations.domain.js';
import { createOrganisation, updateOrganisation } from '../../src/organisations/organisations.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { createPerson, updatePerson } from '../../src/people/people.queries.js';
import { validateConsent } from '../../src/privacy/privacy.domain.js';
import { recordConsent, withdrawConsent } from '../../src/privacy/privacy.queries.js';
import { validateProject } from '../../src/projects/projects.domain.js';
import { createProject, updateProject } from '../../src/projects/projects.queries.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import type { Result } from '../../src/shared/validate.js';
import { addUser, type TestServer } from './support.js';

export const ADMIN = { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', locale: 'en' } as const;
export const ADMIN_DE = { email: 'bernd@example.org', name: 'Bernd Admin', role: 'admin', locale: 'de' } as const;

export interface Fixture {
  users: Record<'admin' | 'adminDe', number>;
  skills: Record<'webDesign' | 'accounting' | 'photography' | 'bookkeeping', number>;
  people: Record<'clara' | 'jonas' | 'mia' | 'otto', number>;
  /** Tafel Leipzig (two projects, past helpers) and an organisation with nothing yet */
  organisationId: number;
  emptyOrganisationId: number;
  /** "New website": done, needs web design, Clara and Jonas on the team */
  projectId: number;
  /** "Photo archive": open, needs three skills, nobody yet (suggestions with results) */
  openProjectId: number;
  /** "Winter fundraiser": no needed skills, no team */
  emptyProjectId: number;
  engagements: Record<'clara' | 'jonas', number>;
  /** Clara's own link (/me/TOKEN) and a set-password link for the English admin */
  links: { clara: string; adminReset: string };
}

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? (r as { id: number }).id : (r as number);
}

function personInput(body: Record<string, unknown>) {
  const v = validatePerson(body);
  if (!v.ok) throw new Error(`bad fixture person: ${JSON.stringify(v.errors)}`);
  return v.value;
}

async function person(db: Knex, body: Record<string, unknown>): Promise<number> {
  return createPerson(db, SYSTEM_ACTOR, personInput(body));
}

function valid<T>(what: string, r: Result<T>): T {
  if (!r.ok) throw new Error(`bad fixture ${what}: ${JSON.stringify(r.errors)}`);
  return r.value;
}

/** Only the two admins: an install before anyone entered a person, an organisation or a project. */
export async function seedAccounts(server: TestServer): Promise<Fixture['users']> {
  return { admin: await addUser(server.db, ADMIN), adminDe: await addUser(server.db, ADMIN_DE) };
}

export async function seedDirectory(server: TestServer): Promise<Fixture> {
  const { db } = server;
  const users = await seedAccounts(server);
  const design = await insertId(db, 'skill_categories', { slug: 'design', name_en: 'Design', name_de: 'Gestaltung', position: 1 });
  const finance = await insertId(db, 'skill_categories', { slug: 'finance', name_en: 'Finance', name_de: 'Finanzen', position: 2 });
  const skill = (name: string, name_de: string | null, category_id: number, aliases: string[] = []) =>
    createSkill(db, SYSTEM_ACTOR, { name, name_de, category_id, description: null, aliases });
  const skills = {
    webDesign: await skill('Web design', 'Webdesign', design, ['web layout']),
    photography: await skill('Photography', 'Fotografie', design),
    accounting: await skill('Accounting', 'Buchhaltung', finance),
    bookkeeping: await skill('Book keeping', null, finance),
  };
  const claraBody = {
    first_name: 'Clara', last_name: 'Schmidt', email: 'clara@example.net', phone: '+49 341 000000', city: 'Leipzig',
    postcode: '04109', country: 'DE', languages: 'de, en', kind: 'volunteer', availability: 'limited',
    organisation: 'Stadtteilladen', job_title: 'Illustrator', portfolio_url: 'https://clara.example.net',
    notes: 'Prefers evenings.\nSpeaks at meet-ups.', last_confirmed_at: '2025-05-01', tags: 'mentor, print',
    skill_id: [String(skills.webDesign), String(skills.accounting)], skill_level: ['3', '2'],
  };
  const clara = await person(db, claraBody);
  // an edit, so her history lists changed fields (labels and values must read as words, in both languages)
  await updatePerson(db, SYSTEM_ACTOR, clara, personInput({
    ...claraBody, job_title: 'Designer', last_confirmed_at: '2026-11-27', kind: 'both', do_not_contact: '',
  }));
  const people: Partial<Fixture['people']> & Pick<Fixture['people'], 'clara' | 'jonas' | 'mia'> = {
    clara,
    jonas: await person(db, {
      first_name: 'Jonas', last_name: 'Weber', email: 'jonas@example.net', city: 'Hamburg', kind: 'freelancer',
      availability: 'available', skill_id: [String(skills.webDesign), String(skills.accounting)], skill_level: ['2', '1'],
    }),
    mia: await person(db, {
      first_name: 'Mia', last_name: 'Wagner', city: 'Leipzig', kind: 'volunteer', availability: 'unavailable',
      do_not_contact: '1', skill_id: [String(skills.webDesign), String(skills.bookkeeping)], skill_level: ['1', '1'],
    }),
  };
  // Otto: created and last confirmed years ago, never engaged, so the stale-record review lists him
  const otto = await person(db, {
    first_name: 'Otto', last_name: 'Alt', email: 'otto@example.net', city: 'Halle', kind: 'volunteer', availability: 'limited',
    last_confirmed_at: '2021-03-15', skill_id: [String(skills.photography)], skill_level: ['2'],
  });
  await db('people').where({ id: otto }).update({ created_at: '2020-02-01T09:00:00.000Z' });
  people.otto = otto;

  // the history of these shows an admin, not "system"
  const admin: Actor = { userId: users.admin, label: ADMIN.email, source: 'web' };
  const orgBody = {
    name: 'Tafel Leipzig', kind: 'food_bank', city: 'Leipzig', website: 'https://tafel-leipzig.example.org',
    contact_name: 'Petra Vogel', contact_email: 'petra@tafel-leipzig.example.org', notes: 'Deliveries on Tuesdays.\nOffice upstairs.',
  };
  const organisationId = await createOrganisation(db, admin, valid('organisation', validateOrganisation({ ...orgBody, kind: 'association' })));
  await updateOrganisation(db, admin, organisationId, valid('organisation', validateOrganisation(orgBody)));
  const emptyOrganisationId = await createOrganisation(db, admin, valid('organisation', validateOrganisation({ name: 'Nachbarschaftshilfe Grünau', kind: 'neighbourhood_group' })));

  const project = (body: Record<string, unknown>) => valid('project', validateProject({ organisation_id: String(organisationId), ...body }));
  const websiteBody = {
    title: 'New website', kind: 'implementation', status: 'running', start_date: '2026-03-01', end_date: '2026-06-30',
    description: 'A new website with opening hours and a donation form.', skill_id: [String(skills.webDesign)], min_level: ['1'],
  };
  const projectId = await createProject(db, admin, project(websiteBody));
  await updateProject(db, admin, projectId, project({ ...websiteBody, status: 'done', min_level: ['2'] }));
  const openProjectId = await createProject(db, admin, project({
    title: 'Photo archive', kind: 'mixed', status: 'open', start_date: '2027-01-15',
    skill_id: [String(skills.photography), String(skills.webDesign), String(skills.accounting)], min_level: ['2', '2', '1'],
  }));
  const emptyProjectId = await createProject(db, admin, project({ title: 'Winter fundraiser', kind: 'consulting', status: 'idea' }));

  const engagement = (body: Record<string, unknown>) => valid('engagement', validateEngagement(body));
  const claraEngagement = {
    person_id: String(people.clara), role: 'Lead designer', start_date: '2026-03-01', end_date: '2026-06-30', hours: '10',
    rating: '5', handover: 'yes', outcome: 'Launched in June.',
  };
  const engagements = {
    clara: await createEngagement(db, admin, projectId, engagement(claraEngagement)),
    jonas: await createEngagement(db, admin, projectId, engagement({
      person_id: String(people.jonas), role: 'Bookkeeping for the donation form', start_date: '2026-04-01', end_date: '2026-05-15',
      hours: '6', paid: '1', rate: '35', rating: '4', handover: 'partly', feedback: 'Quick and careful.',
    })),
  };
  await updateEngagement(db, admin, engagements.clara, engagement({ ...claraEngagement, hours: '12,5' }));

  // Clara: contact for projects given; the newsletter given and then withdrawn
  const consent = (body: Record<string, unknown>) => valid('consent', validateConsent(body));
  await recordConsent(db, admin, people.clara, consent({ purpose: 'contact_projects', status: 'given', method: 'web_form', notice_text: 'We may ask you to help with projects.' }));
  await recordConsent(db, admin, people.clara, consent({ purpose: 'newsletter', status: 'given', method: 'paper' }));
  await withdrawConsent(db, admin, people.clara, 'newsletter', 'email');
  await recordConsent(db, admin, people.jonas, consent({ purpose: 'other', purpose_other: 'Photos at the summer party', status: 'given', method: 'in_person' }));

  // a skill suggestion and an erasure request from Otto, a confirmed offer from /join: the managers' queue has work
  await addPersonRequest(db, people.otto, 'skill', { name: 'Drone photography', level: 2 });
  await addPersonRequest(db, people.otto, 'erasure', null);
  const { token: joinToken } = await addApplication(db, {
    first_name: 'Lena', last_name: 'Neu', email: 'lena@example.net', city: 'Dresden', availability: 'limited', note: 'Weekends only.',
    skills: [{ skillId: skills.photography, level: 3 }],
  }, 'en', 'I agree to be contacted about projects.');
  await confirmApplication(db, joinToken);
  const links = {
    clara: (await createPersonLink(db, people.clara, 30)).token,
    adminReset: (await createAccountLink(db, users.admin, 'invite')).token,
  };
  fixture = { users, skills, people: people as Fixture['people'], organisationId, emptyOrganisationId, projectId, openProjectId, emptyProjectId, engagements, links };
  return fixture;
}

let fixture: Fixture | null = null;

/** The ids of the last seeded directory. */
export function seeded(): Fixture {
  if (!fixture) throw new Error('seedDirectory has not run');
  return fixture;
}
