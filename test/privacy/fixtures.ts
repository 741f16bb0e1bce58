// Shared set-up for the privacy tests: a person with skills, tags, an engagement, consents and an import record.
import type { Knex } from 'knex';
import { SYSTEM_ACTOR, recordAudit } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';

export function fields(over: Partial<PersonFields> = {}): PersonFields {
  return {
    first_name: 'Jürgen', last_name: 'Schäfer', email: 'Juergen@Example.org', phone: '+49 30 1234567', city: 'Berlin',
    postcode: '10115', country: 'Germany', languages: 'German, English', kind: 'freelancer', availability: 'available',
    organisation: 'ACME', job_title: 'Developer', portfolio_url: 'https://example.org/', notes: 'Met at the barcamp',
    do_not_contact: false, last_confirmed_at: null, ...over,
  };
}

export async function addPerson(db: Knex, over: Partial<PersonFields> = {}, skills: { skillId: number; level: number }[] = [], tags: string[] = []): Promise<number> {
  return createPerson(db, SYSTEM_ACTOR, { fields: fields(over), skills, tags });
}

/** A person with everything that hangs off a person, plus a bystander who must stay untouched. */
export async function richPerson(db: Knex): Promise<{ id: number; other: number; engagementId: number; seo: number }> {
  const seo = await createSkill(db, SYSTEM_ACTOR, { name: 'SEO', name_de: 'Suchmaschinenoptimierung', category_id: null, description: null, aliases: [] });
  const id = await addPerson(db, {}, [{ skillId: seo, level: 3 }], ['web', 'Berlin']);
  const other = await addPerson(db, { first_name: 'Ada', last_name: 'Other', email: 'ada@example.org' }, [{ skillId: seo, level: 1 }], ['web']);
  const [org] = await db('organisations').insert({ name: 'Tafel Nord', name_norm: 'tafel nord', created_at: 'x', updated_at: 'x' }).returning('id');
  const [proj] = await db('projects').insert({ organisation_id: org.id, title: 'New website', created_at: 'x', updated_at: 'x' }).returning('id');
  const [eng] = await db('engagements').insert({
    person_id: id, project_id: proj.id, role: 'Lead developer', start_date: '2025-01-01', end_date: '2025-03-01',
    hours: 40, feedback: 'Great work', rating: 5, created_at: 'x', updated_at: 'x',
  }).returning('id');
  await recordAudit(db, SYSTEM_ACTOR, { action: 'create', entityType: 'engagement', entityId: eng.id, changes: { person: 'Jürgen Schäfer' } });
  await db('consents').insert({ person_id: id, purpose: 'newsletter', status: 'given', method: 'web_form', notice_text: 'We send a newsletter monthly.', created_at: '2025-01-01T10:00:00.000Z' });
  const [batch] = await db('import_batches').insert({ filename: 'contacts.csv', created_at: 'x' }).returning('id');
  await db('import_changes').insert({ batch_id: batch.id, person_id: id, action: 'create', after: JSON.stringify({ email: 'juergen@example.org' }), applied_at: 'x' });
  return { id, other, engagementId: eng.id, seo };
}
