import { expect } from 'chai';
import { compare, features, LIKELY, type MatchInput } from '../../src/duplicates/score.domain.js';
import { duplicatesOf, groupPairs, MAX_BLOCK, scanForDuplicates } from '../../src/duplicates/scan.domain.js';
import { KeyCounts } from '../../src/duplicates/blocks.domain.js';

let nextId = 1;
function person(p: Partial<MatchInput>): MatchInput {
  return {
    id: nextId++, first_name: null, last_name: null, email: null, phone: null, city: null, postcode: null, country: null,
    organisation: null, ...p,
  };
}

const jana = () => person({ first_name: 'Jana', last_name: 'Krüger', email: 'jana.krueger@agentur.de', phone: '+49 171 1234567', city: 'Berlin' });

describe('duplicate matching: scores and reasons', () => {
  const cases: { name: string; a: Partial<MatchInput>; b: Partial<MatchInput>; same: boolean; reasons: string[] }[] = [
    {
      name: 'work and private address, same mobile written two ways, initial and transliteration',
      a: { first_name: 'Jana', last_name: 'Krüger', email: 'jana.krueger@agentur.de', phone: '+49 171 1234567', city: 'Berlin' },
      b: { first_name: 'J.', last_name: 'Krueger', email: 'jk@posteo.de', phone: '0171 1234567', city: 'Berlin' },
      same: true, reasons: ['samePhone', 'initial', 'sameCity', 'differentEmails'],
    },
    {
      name: 'googlemail and gmail with dots',
      a: { first_name: 'Jana', last_name: 'Krüger', email: 'jana.krueger@googlemail.com' },
      b: { first_name: 'Jana', last_name: 'Krueger', email: 'janakrueger@gmail.com' },
      same: true, reasons: ['emailAlike', 'namesAlike'],
    },
    {
      name: 'a +tag at gmail',
      a: { first_name: 'Max', last_name: 'Weber', email: 'max.weber+ngo@gmail.com' },
      b: { first_name: 'Max', last_name: 'Weber', email: 'maxweber@gmail.com', city: 'Köln' },
      same: true, reasons: ['emailAlike', 'sameName'],
    },
    {
      name: 'first and last name swapped, same phone',
      a: { first_name: 'Krüger', last_name: 'Jana', phone: '0171 1234567' },
      b: { first_name: 'Jana', last_name: 'Krüger', phone: '+491711234567', email: 'jana@example.org' },
      same: true, reasons: ['samePhone', 'namesSwapped'],
    },
    {
      name: 'same name and city, one without e-mail',
      a: { first_name: 'Jana', last_name: 'Krüger', email: 'jana@example.org', city: 'Berlin' },
      b: { first_name: 'Jana', last_name: 'Krueger', city: 'berlin' },
      same: true, reasons: ['namesAlike', 'sameCity'],
    },
    {
      name: 'Meier and Mayer with the same phone',
      a: { first_name: 'Tobias', last_name: 'Meier', phone: '030 1234567' },
      b: { first_name: 'Tobias', last_name: 'Mayer', phone: '+49 30 1234567' },
      same: true, reasons: ['samePhone', 'namesSimilar'],
    },
    {
      name: 'look-alike: last names that only sound alike, nothing but the city in common (Scholz / Schulze)',
      a: { first_name: 'Tim', last_name: 'Scholz', phone: '0171 3333333', city: 'Berlin' },
      b: { first_name: 'Tim', last_name: 'Schulze', email: 'tim@example.org', city: 'Berlin' },
      same: false, reasons: ['namesSimilar', 'sameCity'],
    },
    {
      name: 'look-alike: first names a letter apart, nothing but the city in common (Lena Düring / Lea Duering)',
      a: { first_name: 'Lena', last_name: 'Düring', email: 'lena@example.org', city: 'Göttingen', postcode: '37074' },
      b: { first_name: 'Lea', last_name: 'Duering', city: 'Göttingen', postcode: '37085' },
      same: false, reasons: ['namesSimilar', 'sameCity'],
    },
    {
      name: 'look-alike: father and son, same name and city, different e-mails',
      a: { first_name: 'Hans', last_name: 'Müller', email: 'hans.mueller@web.de', city: 'Leipzig' },
      b: { first_name: 'Hans', last_name: 'Müller', email: 'hans.mueller.jr@gmx.de', city: 'Leipzig' },
      same: false, reasons: ['sameName', 'sameCity', 'differentEmails'],
    },
    {
      name: 'look-alike: same name, different phones, different cities',
      a: { first_name: 'Anna', last_name: 'Schmidt', phone: '0171 1111111', city: 'Hamburg' },
      b: { first_name: 'Anna', last_name: 'Schmidt', phone: '0172 2222222', city: 'München' },
      same: false, reasons: ['sameName', 'differentPhones'],
    },
    {
      name: 'look-alike: a couple sharing one landline',
      a: { first_name: 'Eva', last_name: 'Braun', phone: '030 555555', email: 'eva@example.org' },
      b: { first_name: 'Karl', last_name: 'Braun', phone: '030 555555', email: 'karl@example.org' },
      same: false, reasons: ['samePhone', 'sameLastName', 'differentEmails'],
    },
    {
      name: 'look-alike: same first name and city, last names only start alike (Bergmann / Braun)',
      a: { first_name: 'Andreas', last_name: 'Bergmann', email: 'ab@web.de', city: 'Berlin' },
      b: { first_name: 'Andreas', last_name: 'Braun', city: 'Berlin' },
      same: false, reasons: ['sameCity'],
    },
    {
      name: 'look-alike: different people, nothing but the city',
      a: { first_name: 'Eva', last_name: 'Braun', city: 'Berlin' },
      b: { first_name: 'Olaf', last_name: 'Schulz', city: 'Berlin' },
      same: false, reasons: ['sameCity', 'differentNames'],
    },
  ];
  for (const c of cases) {
    it(`${c.same ? 'same person' : 'different people'}: ${c.name}`, () => {
      const m = compare(features(person(c.a)), features(person(c.b)));
      if (c.same) expect(m.score, JSON.stringify(m)).to.be.at.least(LIKELY);
      else expect(m.score, JSON.stringify(m)).to.be.below(LIKELY);
      expect(m.reasons.map((r) => r.key)).to.have.members(c.reasons);
      // symmetric
      expect(compare(features(person(c.b)), features(person(c.a))).score).to.equal(m.score);
    });
  }

  it('reasons name the values a person can check', () => {
    const m = compare(features(person({ first_name: 'Jana', last_name: 'Krüger', city: 'Berlin' })), features(person({ first_name: 'Jana', last_name: 'Krueger', city: 'Berlin' })));
    const alike = m.reasons.find((r) => r.key === 'namesAlike')!;
    expect(alike.vars).to.deep.equal({ a: 'Jana Krüger', b: 'Jana Krueger' });
    const g = compare(features(person({ email: 'jana.k@googlemail.com', last_name: 'K' })), features(person({ email: 'janak@gmail.com', last_name: 'K' })));
    expect(g.reasons[0]!.key).to.equal('emailAlike');
    expect(g.reasons[0]!.vars).to.deep.equal({ a: 'jana.k@googlemail.com', b: 'janak@gmail.com' });
  });

  it('an e-mail alias of a merged person matches like their own address', () => {
    const kept = features(person({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', aliases: ['jana.private@gmail.com'] }));
    const m = compare(kept, features(person({ first_name: 'Jana', last_name: 'Krüger', email: 'janaprivate@gmail.com' })));
    expect(m.reasons.map((r) => r.key)).to.include('emailAlike');
    expect(m.score).to.be.at.least(LIKELY);
  });
});

describe('duplicate matching: the scan', () => {
  it('finds pairs and a group of three records of one person, never the look-alikes', () => {
    const people = [
      person({ first_name: 'Jana', last_name: 'Krüger', email: 'jana.krueger@googlemail.com', phone: '+49 171 1234567', city: 'Berlin' }),
      person({ first_name: 'Jana', last_name: 'Krueger', email: 'janakrueger@gmail.com' }),
      person({ first_name: 'J.', last_name: 'Krüger', email: 'jk@agentur.de', phone: '0171 1234567', city: 'Berlin' }),
      person({ first_name: 'Hans', last_name: 'Müller', email: 'hans@web.de', city: 'Leipzig' }),
      person({ first_name: 'Hans', last_name: 'Müller', email: 'hans.jr@gmx.de', city: 'Leipzig' }),
      person({ first_name: 'Olaf', last_name: 'Schulz', city: 'Berlin' }),
    ].map((p) => features(p));
    const ids = people.map((p) => p.id);
    const r = scanForDuplicates(people);
    expect(r.groups).to.deep.equal([[ids[0], ids[1], ids[2]]]);
    expect(r.pairs.every((p) => p.score >= LIKELY)).to.equal(true);
    // Olaf shares only the city key with nobody: not compared with everyone
    expect(r.compared).to.be.below((people.length * (people.length - 1)) / 2);
  });

  it('a dismissed pair stays out of the result', () => {
    const a = features(person({ first_name: 'Max', last_name: 'Weber', email: 'max.weber@gmail.com' }));
    const b = features(person({ first_name: 'Max', last_name: 'Weber', email: 'maxweber@gmail.com' }));
    expect(scanForDuplicates([a, b]).pairs).to.have.length(1);
    expect(scanForDuplicates([a, b], { dismissed: new Set([`${a.id}-${b.id}`]) }).pairs).to.have.length(0);
  });

  it('a block of a very common name is skipped, but the same name within one city is still compared', () => {
    const many = Array.from({ length: MAX_BLOCK + 5 }, (_, i) => features(person({ first_name: 'Thomas', last_name: 'Müller', email: `t${i}@example.org`, city: `Ort ${i}` })));
    const twins = [
      features(person({ first_name: 'Thomas', last_name: 'Müller', email: 'tm@example.org', phone: '0171 5555555', city: 'Jena' })),
      features(person({ first_name: 'Thomas', last_name: 'Mueller', phone: '+49 171 5555555', city: 'Jena' })),
    ];
    const r = scanForDuplicates([...many, ...twins]);
    expect(r.skippedBlocks).to.be.at.least(1);
    expect(r.pairs.map((p) => [p.a, p.b])).to.deep.equal([[twins[0]!.id, twins[1]!.id]]);
  });

  it('a bare record that fits father and son alike is linked to the closer one only', () => {
    const father = features(person({ first_name: 'Hans', last_name: 'Müller', email: 'hans@web.de', city: 'Leipzig', postcode: '04109' }));
    const son = features(person({ first_name: 'Hans', last_name: 'Müller', email: 'hans.jr@gmx.de', city: 'Leipzig', postcode: '04277' }));
    const bare = features(person({ first_name: 'Hans', last_name: 'Mueller', city: 'Leipzig', postcode: '04109' }));
    expect(scanForDuplicates([father, son, bare]).pairs.map((p) => [p.a, p.b])).to.deep.equal([[father.id, bare.id]]);
    // with nothing but the name and the city, it fits two people who are certainly different equally well: not listed
    const bare2 = () => features(person({ first_name: 'Hans', last_name: 'Mueller', city: 'Leipzig' }));
    expect(scanForDuplicates([father, son, bare2()]).pairs).to.deep.equal([]);
    // a name that two records share in a city, and nobody else: still listed, with nothing against it
    const one = features(person({ first_name: 'Hans', last_name: 'Müller', email: 'hans@web.de', city: 'Leipzig' }));
    const two = bare2();
    const found = scanForDuplicates([one, two]).pairs;
    expect(found.map((p) => [p.a, p.b])).to.deep.equal([[one.id, two.id]]);
    expect(found[0]!.reasons.map((r) => r.key)).to.have.members(['namesAlike', 'sameCity']);
  });

  it('a name shared by three or more records in one city needs one more thing in common to be listed', () => {
    const hans = (p: Partial<MatchInput>) => features(person({ first_name: 'Hans', last_name: 'Müller', city: 'Leipzig', ...p }));
    const a = hans({ email: 'hans@web.de', postcode: '04109' });
    const b = hans({ phone: '0341 1234567', postcode: '04109' });
    const c = hans({ email: 'h.mueller@gmx.de', postcode: '04277' });
    const r = scanForDuplicates([a, b, c]);
    // a and b share the postcode as well; c shares only the name and the city with either
    expect(r.pairs.map((p) => [p.a, p.b])).to.deep.equal([[a.id, b.id]]);
    const reasons = r.pairs[0]!.reasons;
    expect(reasons.map((x) => x.key)).to.have.members(['sameName', 'sameCity', 'samePostcode', 'commonName']);
    expect(reasons.find((x) => x.key === 'commonName')!.vars).to.deep.equal({ name: 'Hans Müller', city: 'leipzig', count: '3' });
    // the form's check counts namesakes among its candidates the same way: the same answer for a new record
    const d = hans({ phone: '0341 7654321' });
    expect(duplicatesOf(d, [a, c]).map((p) => p.b)).to.deep.equal([]);
    expect(duplicatesOf(hans({ phone: '0341 7654321' }), [a]).map((p) => p.b)).to.deep.equal([a.id]);
  });

  it('counts keys exactly, however many', () => {
    const counts = new KeyCounts();
    for (let i = 0; i < 5000; i++) counts.add(`name ${i % 1000}|city`);
    counts.add('hans|mueller|leipzig');
    counts.seal();
    expect(counts.count('name 7|city')).to.equal(5);
    expect(counts.count('hans|mueller|leipzig')).to.equal(1);
    expect(counts.count('hans|muller|leipzig')).to.equal(0);
  });

  it('groups pairs transitively', () => {
    expect(groupPairs([{ a: 1, b: 2 }, { a: 5, b: 6 }, { a: 2, b: 3 }])).to.deep.equal([[1, 2, 3], [5, 6]]);
  });

  it('duplicatesOf ranks one person’s candidates and leaves out the person themself', () => {
    const j = features(jana());
    const candidates = [j, features(person({ first_name: 'Jana', last_name: 'Krueger', phone: '0171 1234567' })), features(person({ first_name: 'Jan', last_name: 'Kruse' }))];
    const found = duplicatesOf(j, candidates);
    expect(found.map((p) => p.b)).to.deep.equal([candidates[1]!.id]);
  });
});
