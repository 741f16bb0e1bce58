// A small, known directory for the browser suite: two admins (English, German), skills in categories, people
// with skills, tags and an engagement, so every main page renders its full (non-empty) state.
import type { Knex } from 'knex';
import { nowIso } from '../../src/db.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { createPerson, updatePerson } from '../../src/people/people.queries.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { addUser, type TestServer } from './support.js';

export const ADMIN = { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', locale: 'en' } as const;
export const ADMIN_DE = { email: 'bernd@example.org', name: 'Bernd Admin', role: 'admin', locale: 'de' } as const;

export interface Fixture {
  users: Record<'admin' | 'adminDe', number>;
  skills: Record<'webDesign' | 'accounting' | 'photography' | 'bookkeeping', number>;
  people: Record<'clara' | 'jonas' | 'mia', number>;
  organisationId: number;
  projectId: number;
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

export async function seedDirectory(server: TestServer): Promise<Fixture> {
  const { db } = server;
  const users = { admin: await addUser(db, ADMIN), adminDe: await addUser(db, ADMIN_DE) };
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
  const people = {
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
  const now = nowIso();
  const organisationId = await insertId(db, 'organisations', { name: 'Tafel Leipzig', name_norm: 'tafel leipzig', city: 'Leipzig', created_at: now, updated_at: now });
  const projectId = await insertId(db, 'projects', {
    organisation_id: organisationId, title: 'New website', status: 'done', start_date: '2026-03-01', end_date: '2026-06-30', created_at: now, updated_at: now,
  });
  await db('project_skills').insert({ project_id: projectId, skill_id: skills.webDesign, min_level: 2 });
  await insertId(db, 'engagements', {
    person_id: people.clara, project_id: projectId, role: 'Lead designer', start_date: '2026-03-01', end_date: '2026-06-30',
    hours: 12.5, rating: 5, handover: 'yes', created_at: now, updated_at: now,
  });
  fixture = { users, skills, people, organisationId, projectId };
  return fixture;
}

let fixture: Fixture | null = null;

/** The ids of the last seeded directory. */
export function seeded(): Fixture {
  if (!fixture) throw new Error('seedDirectory has not run');
  return fixture;
}
