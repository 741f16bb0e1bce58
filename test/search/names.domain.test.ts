import { expect } from 'chai';
import { buildSnapshot, comparator, patchSnapshot, type PersonRow, type Snapshot } from '../../src/search/snapshot.domain.js';
import { NAME_COUNT_LIMIT, pickByNameWords } from '../../src/search/names.domain.js';
import { searchWords } from '../../src/search/search.domain.js';

const row = (id: number, first: string, last: string): PersonRow => [id, first, last, null, null, 'volunteer', 'available', null, 0, '2026-01-01T00:00:00Z'];

function snapshotOf(rows: PersonRow[]): Snapshot {
  return buildSnapshot({ version: 1, trusted: true, maxId: Math.max(...rows.map((r) => r[0])), people: rows, skills: [], tags: [], engagements: [] });
}

/** The answer by the rule itself: every typed word starts one of the person's name words; name order; counted up to 1,000. */
function byRule(s: Snapshot, typed: string, limit: number): { ids: number[]; total: number; more: boolean } {
  const words = searchWords(typed);
  const all: number[] = [];
  for (let id = 0; id < s.size; id++) {
    if (!s.alive[id]) continue;
    const own = s.nameWords[id]!.trim().split(' ');
    if (words.every((w) => own.some((o) => o.startsWith(w)))) all.push(id);
  }
  all.sort(comparator(s, 'name'));
  return { ids: all.slice(0, limit), total: Math.min(all.length, NAME_COUNT_LIMIT), more: all.length > NAME_COUNT_LIMIT };
}

const FIRST = ['Anna', 'Anna Maria', 'Jörg', 'Maria', 'Mustafa', 'Jo', 'Øystein', 'Ѡnna', 'Zoë', 'Ali', 'M', 'Joachim', 'Aaron'];
const LAST = ['Müller', 'Schäfer', 'Schmidt', 'Böhm', 'Busch', 'von der Heide', 'Weber', 'Zorn', 'Martens', 'Ma', 'Øre', 'Шмидт', 'O\'Brien-Ma'];
const TYPED = ['', 'm', 'ma', 'mu', 'mül', 'MÜLLER', 'müllers', 's', 'sch', 'schmi', 'anna', 'anna sch', 'jo we', 'ö', 'o', 'zz', 'a b',
  'ma ma', 'anna zorn', 'zorn anna', 'ѡ', 'шм', 'o brien', 'br ma', 'heide von der', 'j', 'jo', 'joa', 'x'];

describe('type-ahead name index (names.domain)', () => {
  const rows: PersonRow[] = [];
  let id = 1;
  for (const first of FIRST) for (const last of LAST) rows.push(row((id += 1 + (id % 3)), first, last));

  it('answers as the rule does: every typed word starts a name word, first 20 in name order, all counted', () => {
    const s = snapshotOf(rows);
    for (const typed of TYPED) {
      for (const limit of [1, 20, 500]) {
        const got = pickByNameWords(s, s.names, searchWords(typed), limit);
        expect(got, `${typed} (${limit})`).to.deep.equal(byRule(s, typed, limit));
      }
    }
    // a person with two words of one key is counted once ("Maria Martens": "ma" twice), one-letter words found
    expect(pickByNameWords(s, s.names, ['ma'], 500).total).to.equal(byRule(s, 'ma', 500).total).and.be.above(0);
    expect(pickByNameWords(s, s.names, ['m'], 1).total).to.be.above(pickByNameWords(s, s.names, ['ma'], 1).total);
  });

  it('a letter past Latin-1 does not pass for the Latin letter of its low byte (Ѡnna is not Anna)', () => {
    // "anna" is tested on the "zo" list (the shorter one): by the packed prefix alone, Ѡ (U+0461) would read as "a"
    const s = snapshotOf([row(1, 'Ѡnna', 'Zorn'), row(2, 'Anna', 'Zorn'), ...Array.from({ length: 5 }, (_, i) => row(3 + i, 'Anna', `Zz${i}`))]);
    expect(pickByNameWords(s, s.names, searchWords('zorn anna'), 20)).to.deep.equal({ ids: [2], total: 1, more: false });
    expect(pickByNameWords(s, s.names, searchWords('ѡnna'), 20)).to.deep.equal({ ids: [1], total: 1, more: false });
  });

  it('people changed, added or deleted since the load are found (or not) and merged in name order', () => {
    const s = snapshotOf(rows);
    const changedRow = row(rows[3]![0], 'Aaron', 'Aab');
    const added = [row(s.size + 2, 'Maria', 'Aachen'), row(s.size + 5, 'Zoë', 'Müller')];
    const deleted = rows[7]![0];
    const ok = patchSnapshot(s, {
      latest: 2, changed: [changedRow[0], deleted, ...added.map((r) => r[0])], people: [changedRow, ...added], skills: [], tags: [], engagements: [],
    });
    expect(ok).to.equal(true);
    expect(s.patched.length).to.equal(4);
    for (const typed of TYPED) {
      for (const limit of [1, 3, 20, 500]) expect(pickByNameWords(s, s.names, searchWords(typed), limit), `${typed} (${limit})`).to.deep.equal(byRule(s, typed, limit));
    }
    expect(pickByNameWords(s, s.names, ['aab'], 5).ids).to.deep.equal([changedRow[0]]);
    expect(pickByNameWords(s, s.names, ['maria'], 1).ids).to.deep.equal([added[0]![0]]);
  });

  it('counts up to 1,000, then says more; keeps each list in 7-bit gaps (a few bytes per person)', () => {
    const many: PersonRow[] = [];
    for (let i = 1; i <= 20_000; i++) many.push(row(i, FIRST[i % FIRST.length]!, `${LAST[i % LAST.length]} ${String.fromCharCode(97 + (i % 26))}${i % 997}`));
    const s = snapshotOf(many);
    expect(s.names.bytes.length / many.length).to.be.below(6);
    const counts: Record<string, [number, boolean]> = {};
    for (const typed of ['', 'm', 'ma', 'anna b', 'q', 'q1', 'schmidt k', 'ma k', 'maria m', 'o', 'a z', 'j j']) {
      const got = pickByNameWords(s, s.names, searchWords(typed), 20);
      expect(got, typed).to.deep.equal(byRule(s, typed, 20));
      counts[typed] = [got.total, got.more];
    }
    expect(counts['']).to.deep.equal([1000, true]);
    expect(counts.m).to.deep.equal([1000, true]);
    expect(counts.q![1]).to.equal(false);
    expect(counts.q![0]).to.be.above(500);
    // after a change, the people changed count too (and the limit still holds)
    patchSnapshot(s, { latest: 2, changed: [5], people: [row(5, 'Quentin', 'Quast')], skills: [], tags: [], engagements: [] });
    for (const typed of ['q', 'qu', 'quast', 'm', '']) expect(pickByNameWords(s, s.names, searchWords(typed), 20), typed).to.deep.equal(byRule(s, typed, 20));
  });
});
