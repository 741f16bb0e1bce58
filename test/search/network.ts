// A small generated network with known answers for search tests.
import type { Knex } from 'knex';
import { createPerson } from '../../src/people/people.queries.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';

export interface Network {
  skills: Record<'wp' | 'seo' | 'newsletter' | 'photo' | 'wpSite', number>;
  people: Record<'jurgen' | 'anna' | 'ben' | 'clara' | 'emil' | 'fatma' | 'greta', number>;
  orgs: { tafel: number; kiez: number };
}

function monthsAgo(n: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
}

export async function buildNetwork(db: Knex): Promise<Network> {
  const skill = (name: string, name_de: string | null, aliases: string[] = []) =>
    createSkill(db, SYSTEM_ACTOR, { name, name_de, category_id: null, description: null, aliases });
  const skills = {
    wp: await skill('WordPress', null, ['WP']),
    seo: await skill('SEO', 'Suchmaschinenoptimierung', ['Search engine optimisation']),
    newsletter: await skill('Newsletter', 'Rundbrief'),
    photo: await skill('Photography', 'Fotografie'),
    wpSite: await skill('Word-Press site building', null),
  };
  const person = async (p: Record<string, unknown>, sk: [number, number][]) => {
    const r = validatePerson({ availability: 'available', kind: 'volunteer', ...p, skill_id: sk.map((s) => String(s[0])), skill_level: sk.map((s) => String(s[1])) });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return createPerson(db, SYSTEM_ACTOR, r.value);
  };
  const people = {
    jurgen: await person({ first_name: 'Jürgen', last_name: 'Müller', email: 'juergen@example.org', city: 'Berlin', kind: 'freelancer', languages: 'German, English', tags: 'web' }, [[skills.wp, 3], [skills.seo, 2]]),
    anna: await person({ first_name: 'Anna', last_name: 'Schmidt', city: 'Berlin', availability: 'limited', languages: 'German', tags: 'web, Mentor' }, [[skills.wp, 1], [skills.newsletter, 2]]),
    ben: await person({ first_name: 'Ben', last_name: 'Schmitz', city: 'Hamburg', kind: 'both', languages: 'English' }, [[skills.seo, 3], [skills.photo, 1]]),
    clara: await person({ first_name: 'Clara', last_name: 'Schäfer', city: 'München', languages: 'German, French', tags: 'mentor' }, [[skills.photo, 3]]),
    emil: await person({ first_name: 'Emil', last_name: 'Weber', city: 'berlin', availability: 'unavailable', do_not_contact: '1' }, [[skills.wp, 2], [skills.seo, 1]]),
    fatma: await person({ first_name: 'Fatma', last_name: 'Yılmaz', email: 'fatma@example.org', city: 'Köln', kind: 'freelancer', languages: 'Turkish, German', notes: 'Kennt sich mit Förderanträgen aus.' }, [[skills.newsletter, 3], [skills.seo, 3]]),
    greta: await person({ first_name: 'Greta', last_name: 'Straßer', city: 'Hamburg' }, [[skills.wpSite, 2]]),
  };
  const now = new Date().toISOString();
  const org = async (name: string) => (await db('organisations').insert({ name, name_norm: name.toLowerCase(), created_at: now, updated_at: now }).returning('id'))[0].id as number;
  const orgs = { tafel: await org('Tafel Berlin'), kiez: await org('Kiezladen') };
  const project = async (organisation_id: number, title: string, kind: string) =>
    (await db('projects').insert({ organisation_id, title, kind, status: 'done', created_at: now, updated_at: now }).returning('id'))[0].id as number;
  const website = await project(orgs.tafel, 'Website', 'implementation');
  const advice = await project(orgs.kiez, 'Which CRM?', 'consulting');
  const engage = (person_id: number, project_id: number, start_date: string, end_date: string) =>
    db('engagements').insert({ person_id, project_id, start_date, end_date, created_at: now, updated_at: now });
  await engage(people.jurgen, website, monthsAgo(8), monthsAgo(6));
  await engage(people.ben, website, monthsAgo(40), monthsAgo(38));
  await engage(people.anna, advice, monthsAgo(100), monthsAgo(96));
  return { skills, people, orgs };
}
