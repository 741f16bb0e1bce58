// Joining the network (pure): the form's validation, the signed start time for the minimum fill time, and the
// merge of an application into an existing person.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Validator, type Result } from '../shared/validate.js';
import { AVAILABILITY, PERSON_LIMITS, type Availability, type SkillChoice } from '../people/people.domain.js';
import { isSkillLevel } from '../skills/levels.domain.js';

/** The consent a joiner gives, with the purpose stated on the form. */
export const JOIN_PURPOSE = 'contact_projects';
/** Seconds a person needs at least to fill the form (faster posts are bots). */
export const MIN_FILL_SECONDS = 3;
/** Unconfirmed applications are deleted after this many days. */
export const UNCONFIRMED_DAYS = 7;
export const JOIN_SKILL_ROWS = 5;
/** The join form's own field limits (the others are the person's). */
export const JOIN_LIMITS = { note: 2000 } as const;

export interface JoinApplication {
  first_name: string;
  last_name: string;
  email: string;
  city: string | null;
  availability: Availability;
  note: string | null;
  skills: SkillChoice[];
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined || v === null ? [] : [String(v)];
}

export function validateJoin(body: Record<string, unknown>, knownSkillIds: Set<number>): Result<JoinApplication> {
  const v = new Validator(body);
  const first_name = v.text('first_name', { max: PERSON_LIMITS.first_name, required: true }) ?? '';
  const last_name = v.text('last_name', { max: PERSON_LIMITS.last_name, required: true }) ?? '';
  const email = v.email('email', { required: true }) ?? '';
  const city = v.text('city', { max: PERSON_LIMITS.city });
  const availability = v.oneOf('availability', AVAILABILITY, 'available');
  const note = v.text('note', { max: JOIN_LIMITS.note });
  if (!v.bool('consent')) v.fail('consent', 'join.consentRequired');
  const ids = list(body.skill_id);
  const levels = list(body.skill_level);
  const skills = new Map<number, number>();
  ids.forEach((raw, i) => {
    if (!raw.trim()) return;
    const id = Number(raw);
    const level = Number(levels[i] ?? 1);
    if (!knownSkillIds.has(id)) return v.fail('skills', 'validation.choice');
    if (!isSkillLevel(level)) return v.fail('skills', 'people.levelRange');
    skills.set(id, Math.max(level, skills.get(id) ?? 0));
  });
  return v.result({ first_name, last_name, email, city, availability, note, skills: [...skills].map(([skillId, level]) => ({ skillId, level })) });
}

function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(`join-start:${value}`).digest('base64url');
}

/** The form's hidden start time, signed so a bot cannot claim to have started earlier. */
export function signedStart(secret: string, now = Date.now()): string {
  return `${now}.${sign(secret, String(now))}`;
}

/** Seconds since the signed start; null when the value is missing, forged or older than a day. */
export function secondsSinceStart(secret: string, raw: unknown, now = Date.now()): number | null {
  const m = /^(\d{10,16})\.([A-Za-z0-9_-]{43})$/.exec(String(raw ?? ''));
  if (!m) return null;
  const expected = Buffer.from(sign(secret, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const seconds = (now - Number(m[1])) / 1000;
  return seconds < 0 || seconds > 86_400 ? null : seconds;
}

/** Merging an application into an existing person: fill empty fields only; skills keep the higher level. */
export function mergeSkills(current: SkillChoice[], offered: SkillChoice[]): SkillChoice[] {
  const out = new Map(current.map((s) => [s.skillId, s.level]));
  for (const s of offered) out.set(s.skillId, Math.max(s.level, out.get(s.skillId) ?? 0));
  return [...out].map(([skillId, level]) => ({ skillId, level }));
}
