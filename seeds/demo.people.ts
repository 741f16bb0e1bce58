// Demo people: names with diacritics, cities, skills with levels, tags and their search documents, written in bulk.
import type { Database } from 'better-sqlite3';
import { parseLanguages, storeLanguages } from '../src/people/languages.domain.js';
import { foldText, nameKey, normaliseName, normalisePhone } from '../src/shared/normalise.js';
import { buildPersonDoc } from '../src/search/search.domain.js';
import { HIGHEST_LEVEL } from '../src/skills/levels.domain.js';
import { Rng, WeightedPicker, isoDay, isoTime, weighted } from './random.js';
import {
  CITIES, EMAIL_DOMAINS, EMPLOYERS, EXTRA_LANGUAGES, GENERIC_JOBS, JOB_TITLES, LAST_NAME_WEIGHT, NOTES, ORIGINS, TAGS, type City,
} from './demo.people.data.js';

/** A skill as the generator sees it: its id, taxonomy key and category, and every name it is found by. */
export interface SkillInfo {
  id: number;
  key: string;
  category: string;
  names: string[];
}

/** What later steps need to know about the people: compact, so a million people fit in memory. */
export interface PeopleState {
  count: number;
  ids: Int32Array;
  /** 0 volunteer, 1 freelancer, 2 both */
  kind: Uint8Array;
  /** person p's skills are skill[skillStart[p] .. skillStart[p+1]) with their levels */
  skillStart: Int32Array;
  skill: Uint16Array;
  level: Uint8Array;
  /** skill index → indices of the people who have it */
  skillPeople: number[][];
  personSkills: number;
}

export const KINDS = ['volunteer', 'freelancer', 'both'] as const;

/** How popular a skill is among helpers (1 when not listed). */
const SKILL_WEIGHT: Record<string, number> = {
  'wordpress': 6, 'social-media': 5, 'canva': 4, 'graphic-design': 4, 'photography': 3, 'instagram': 4, 'copywriting': 3,
  'spreadsheets': 3, 'email-marketing': 3, 'it-support': 3, 'project-management': 3, 'html-css': 3, 'web-design': 3,
  'seo': 3, 'translation-en-de': 3, 'microsoft-365': 2, 'video-editing': 2, 'fundraising': 2, 'grant-writing': 2,
  'website-maintenance': 2, 'mailchimp': 2, 'facebook': 2, 'pr': 2, 'data-analysis': 2, 'training': 2, 'gdpr': 2,
  'drupal': 0.3, 'typo3': 0.6, 'sign-language': 0.3, 'nonprofit-law': 0.4, 'tiktok': 0.8,
};

const CATEGORY_WEIGHT: Record<string, number> = {
  'web-development': 10, 'wordpress-cms': 12, 'seo': 5, 'online-marketing': 6, 'google-ads': 3, 'social-media': 12,
  'newsletter': 5, 'graphic-design': 12, 'ux': 5, 'photo-video': 10, 'copywriting-pr': 9, 'translation': 8,
  'fundraising': 6, 'data-analysis': 6, 'it-support': 9, 'strategy': 7, 'data-protection': 3,
};

/** Lower-case ASCII for e-mail addresses and web addresses: Müller → mueller, Łukasz → lukasz. */
export function ascii(s: string): string {
  const german = s.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue');
  return foldText(german).replace(/đ/g, 'd').replace(/ı/g, 'i').replace(/[^a-z0-9]+/g, '');
}

export function slugify(s: string): string {
  const german = s.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue');
  return foldText(german).replace(/đ/g, 'd').replace(/ı/g, 'i').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export const cityPicker = new WeightedPicker(CITIES, CITIES.map((c) => c.weight));

/** Picks a name: first and last name, mostly of one origin, sometimes mixed (Zoë Müller). */
export class NamePicker {
  private readonly origins = weighted(ORIGINS.map((o, i) => [i, o.weight] as const));
  private readonly lasts = ORIGINS.map((o) => new WeightedPicker(o.last, o.last.map((l) => LAST_NAME_WEIGHT[l] ?? 1)));

  pick(rng: Rng): { first: string; last: string; language: string | null } {
    const o = this.origins.pick(rng);
    const firstOrigin = rng.chance(0.12) ? this.origins.pick(rng) : o;
    return { first: rng.pick(ORIGINS[firstOrigin]!.first), last: this.lasts[o]!.pick(rng), language: ORIGINS[o]!.language };
  }
}

function phoneFor(rng: Rng, city: City): string | null {
  if (!rng.chance(0.55)) return null;
  const digits = (n: number) => String(rng.int(10 ** (n - 1), 10 ** n - 1));
  if (city.country === 'Germany' && rng.chance(0.6)) {
    const prefix = rng.pick(['151', '152', '157', '160', '162', '170', '171', '172', '176', '177', '178', '179']);
    const rest = digits(rng.int(7, 8));
    return rng.pick([`0${prefix} ${rest}`, `+49 ${prefix} ${rest}`, `0${prefix}/${rest}`]);
  }
  const rest = digits(rng.int(6, 7));
  if (city.area.startsWith('+')) return `${city.area} ${rest}`;
  return rng.pick([`${city.area} ${rest}`, `(${city.area}) ${rest}`, `+49 ${city.area.slice(1)} ${rest}`]);
}

function languagesFor(rng: Rng, own: string | null, extra: WeightedPicker<string>): string {
  const langs = new Set<string>();
  if (own === null || rng.chance(0.85)) langs.add('German');
  if (own) langs.add(own);
  if (rng.chance(own === 'English' ? 1 : 0.72)) langs.add('English');
  if (rng.chance(0.2)) langs.add(extra.pick(rng));
  if (!langs.size) langs.add('German');
  // stored as ISO 639-1 codes (src/people/languages.domain.ts)
  return storeLanguages(parseLanguages([...langs].join(', ')).codes) ?? 'de';
}

export function insertPeople(conn: Database, rng: Rng, n: number, skills: SkillInfo[], today: number): PeopleState {
  const insPerson = conn.prepare(`insert into people (first_name, last_name, name_norm, email, email_norm, phone, phone_norm,
    city, city_norm, postcode, country, languages, kind, availability, organisation, job_title, portfolio_url, notes,
    last_confirmed_at, do_not_contact, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insSkill = conn.prepare('insert into person_skills (person_id, skill_id, level) values (?, ?, ?)');
  const insTag = conn.prepare('insert into person_tags (person_id, tag_id) values (?, ?)');
  const insDoc = conn.prepare('insert into people_fts (rowid, doc) values (?, ?)');

  const insTagName = conn.prepare('insert into tags (name, name_norm) values (?, ?) on conflict (name_norm) do nothing');
  const tagId = conn.prepare('select id from tags where name_norm = ?').pluck();
  const tags = TAGS.map((name) => {
    insTagName.run(name, nameKey(name));
    return { name, id: Number(tagId.get(nameKey(name))) };
  });

  const names = new NamePicker();
  const domains = weighted(EMAIL_DOMAINS);
  const extraLanguages = weighted(EXTRA_LANGUAGES);
  const allSkills = new WeightedPicker(skills.map((_, i) => i), skills.map((s) => SKILL_WEIGHT[s.key] ?? 1));
  const byCategory = new Map<string, WeightedPicker<number>>();
  for (const cat of new Set(skills.map((s) => s.category))) {
    const idx = skills.map((s, i) => (s.category === cat ? i : -1)).filter((i) => i >= 0);
    byCategory.set(cat, new WeightedPicker(idx, idx.map((i) => SKILL_WEIGHT[skills[i]!.key] ?? 1)));
  }
  const cats = [...byCategory.keys()];
  const categories = new WeightedPicker(cats, cats.map((c) => CATEGORY_WEIGHT[c] ?? 2));
  const skillCount = weighted([[1, 15], [2, 22], [3, 25], [4, 18], [5, 12], [6, 8]] as const);
  const kindPicker = weighted([[0, 60], [1, 20], [2, 20]] as const);
  const availability = weighted([['available', 55], ['limited', 30], ['unavailable', 15]] as const);
  const levelVolunteer = weighted([[1, 50], [2, 25], [3, 15], [4, 10]] as const);
  const levelPro = weighted([[1, 20], [2, 30], [3, 28], [4, 22]] as const);
  const tagCount = weighted([[0, 50], [1, 30], [2, 15], [3, 5]] as const);

  const st: PeopleState = {
    count: n, ids: new Int32Array(n), kind: new Uint8Array(n), skillStart: new Int32Array(n + 1),
    skill: new Uint16Array(n * 6), level: new Uint8Array(n * 6), skillPeople: skills.map(() => []), personSkills: 0,
  };
  const emails = new Set<string>();
  const docs: [number, string][] = [];
  const flushDocs = () => {
    for (const [id, doc] of docs) insDoc.run(id, doc);
    docs.length = 0;
  };

  for (let p = 0; p < n; p++) {
    const { first, last, language } = names.pick(rng);
    const city = cityPicker.pick(rng);
    const kind = kindPicker.pick(rng);
    const primary = categories.pick(rng);
    const secondary = categories.pick(rng);

    let email: string | null = null;
    if (!rng.chance(0.04)) {
      const f = ascii(first) || 'info';
      const l = ascii(last) || 'mail';
      const local = rng.pick([`${f}.${l}`, `${f}.${l}`, `${f[0]}.${l}`, `${f}${l}`, `${l}.${f}`, `${f}_${l}`, `${f}${rng.int(70, 99)}`]);
      const domain = domains.pick(rng);
      let candidate = `${local}@${domain}`;
      for (let k = 2; emails.has(candidate); k++) candidate = `${local}${k}@${domain}`;
      emails.add(candidate);
      email = rng.chance(0.03) ? candidate.replace(/^./, (ch) => ch.toUpperCase()) : candidate;
    }
    const phone = phoneFor(rng, city);
    const pro = kind !== 0;
    const jobTitle = rng.chance(pro ? 0.85 : 0.35)
      ? (rng.chance(0.15) ? rng.pick(GENERIC_JOBS) : rng.pick(JOB_TITLES[primary] ?? GENERIC_JOBS))
      : null;
    const employer = pro ? (rng.chance(0.4) ? rng.pick(['Selbstständig', 'Freelance', 'Freiberuflich']) : null)
      : (rng.chance(0.2) ? rng.pick(EMPLOYERS) : null);
    const portfolio = pro && rng.chance(0.5) ? `https://${slugify(`${first} ${last}`)}.example` : null;
    const notes = rng.chance(0.12) ? rng.pick(NOTES) : null;
    const confirmed = rng.chance(0.9) ? today - Math.floor(1460 * rng.next() ** 1.2) : null;
    const created = Math.max(today - 2190, (confirmed ?? today) - Math.floor(rng.next() * 900));
    const createdAt = isoTime(created, rng.int(25200, 72000));
    const updatedAt = confirmed !== null && confirmed > created ? isoTime(confirmed, rng.int(25200, 72000)) : createdAt;
    const postcode = String(rng.int(city.postcodes[0], city.postcodes[1])).padStart(city.country === 'Germany' ? 5 : 4, '0');

    const info = insPerson.run(
      first, last, normaliseName(first, last), email, email ? email.toLowerCase() : null, phone, phone ? normalisePhone(phone) || null : null,
      city.name, foldText(city.name), postcode, rng.chance(0.9) ? city.country : null, languagesFor(rng, language, extraLanguages),
      KINDS[kind], availability.pick(rng), employer, jobTitle, portfolio, notes,
      confirmed === null ? null : isoDay(confirmed), rng.chance(0.02) ? 1 : 0, createdAt, updatedAt,
    );
    const id = Number(info.lastInsertRowid);
    st.ids[p] = id;
    st.kind[p] = kind;

    // skills: mostly from the person's main field, some from a second one, a few from anywhere
    const wanted = skillCount.pick(rng);
    const chosen: number[] = [];
    for (let tries = 0; chosen.length < wanted && tries < wanted * 4; tries++) {
      const r = rng.next();
      const s = (r < 0.6 ? byCategory.get(primary)! : r < 0.85 ? byCategory.get(secondary)! : allSkills).pick(rng);
      if (!chosen.includes(s)) chosen.push(s);
    }
    const start = st.personSkills;
    st.skillStart[p] = start;
    const skillNames = new Set<string>();
    for (const s of chosen) {
      let level = (pro ? levelPro : levelVolunteer).pick(rng);
      if (skills[s]!.category === primary && level < HIGHEST_LEVEL && rng.chance(0.25)) level++;
      insSkill.run(id, skills[s]!.id, level);
      st.skill[st.personSkills] = s;
      st.level[st.personSkills] = level;
      st.personSkills++;
      st.skillPeople[s]!.push(p);
      for (const name of skills[s]!.names) skillNames.add(name);
    }
    st.skillStart[p + 1] = st.personSkills;

    const tagNames: string[] = [];
    for (let k = tagCount.pick(rng); k > 0; k--) {
      const t = rng.pick(tags);
      if (tagNames.includes(t.name)) continue;
      tagNames.push(t.name);
      insTag.run(id, t.id);
    }
    docs.push([id, buildPersonDoc({
      first_name: first, last_name: last, email, city: city.name, organisation: employer, job_title: jobTitle, notes,
      tags: tagNames, skillNames: [...skillNames],
    })]);
    if (docs.length >= 10_000) flushDocs();
  }
  flushDocs();
  return st;
}

/** The level person p has in skill s, 0 when none. */
export function levelOf(st: PeopleState, p: number, s: number): number {
  for (let j = st.skillStart[p]!; j < st.skillStart[p + 1]!; j++) if (st.skill[j] === s) return st.level[j]!;
  return 0;
}
