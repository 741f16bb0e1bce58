import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  firstEmail, guessField, guessMapping, parseKind, parseSkill, splitFullName, splitMulti, stripFormulaGuard,
  type Target,
} from '../../src/imports/mapping.domain.js';

const EXPORTS = '/work/shared/fixtures/exports';
const headerOf = (file: string, delimiter = ',') =>
  (parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { delimiter, to_line: 1, relax_quotes: true }) as string[][])[0]!;

/** header → field for the columns that are not ignored */
function mapped(headers: string[]): Record<string, Target> {
  const m = guessMapping(headers);
  return Object.fromEntries(headers.map((h, i) => [h, m[i]!]).filter(([, t]) => t !== 'ignore'));
}

describe('mapping.domain', () => {
  it('maps the Google Contacts 2023 layout without help', () => {
    expect(mapped(headerOf(`${EXPORTS}/google-contacts-2023/header.csv`))).to.deep.equal({
      'First Name': 'first_name', 'Last Name': 'last_name', 'Organization Name': 'organisation', 'Organization Title': 'job_title',
      Notes: 'notes', Labels: 'tags', 'E-mail 1 - Value': 'email', 'E-mail 2 - Value': 'email', 'E-mail 3 - Value': 'email',
      'E-mail 4 - Value': 'email', 'Phone 1 - Value': 'phone', 'Phone 2 - Value': 'phone', 'Phone 3 - Value': 'phone', 'Address 1 - City': 'city',
      'Address 1 - Postal Code': 'postcode', 'Address 1 - Country': 'country', 'Website 1 - Value': 'portfolio_url',
      'Event 1 - Value': 'labelled', 'Event 2 - Value': 'labelled', 'Custom Field 1 - Value': 'labelled',
    });
  });

  it('maps the Mailchimp audience layout without help', () => {
    expect(mapped(headerOf(`${EXPORTS}/mailchimp/header.csv`))).to.deep.equal({
      'Email Address': 'email', 'First Name': 'first_name', 'Last Name': 'last_name', 'Phone Number': 'phone', CC: 'country',
      NOTES: 'notes', TAGS: 'tags',
    });
  });

  it('maps the Excel layouts (UTF-8 with BOM, German semicolons)', () => {
    const expected = { Name: 'full_name', Email: 'email', Skills: 'skills' };
    expect(mapped(headerOf(`${EXPORTS}/excel-quirks/excel-csv-utf8-bom.csv`))).to.deep.equal(expected);
    expect(mapped(headerOf(`${EXPORTS}/excel-quirks/excel-de-semicolon-cp1252.csv`, ';'))).to.deep.equal(expected);
  });

  const fields: [string, Target][] = [
    ['E-mail Address', 'email'], ['Primary Email', 'email'], ['Email Address', 'email'], ['E-Mail-Adresse', 'email'], ['Work Email', 'email'],
    ['E-mail Display Name', 'ignore'], ['E-mail 1 - Label', 'ignore'], ['E-mail Type', 'ignore'],
    ['Given Name', 'first_name'], ['Family Name', 'last_name'], ['Vorname', 'first_name'], ['Nachname', 'last_name'], ['Surname', 'last_name'],
    ['Name', 'full_name'], ['Display Name', 'full_name'], ['Phonetic First Name', 'ignore'],
    ['Categories', 'tags'], ['Group Membership', 'tags'], ['Tag(s)', 'tags'], ['TAGS', 'tags'], ['Labels', 'tags'], ['Schlagworte', 'tags'],
    ['Mobile Phone', 'phone'], ['Business Phone', 'phone'], ['Handy', 'phone'], ['Telefon', 'phone'], ['Business Fax', 'ignore'],
    ['City', 'city'], ['Ort', 'city'], ['Stadt', 'city'], ['Home City', 'city'], ['PLZ', 'postcode'], ['ZIP Code', 'postcode'], ['Land', 'country'],
    ['Company', 'organisation'], ['Firma', 'organisation'], ['Job Title', 'job_title'], ['Position', 'job_title'], ['Title', 'ignore'],
    ['Notizen', 'notes'], ['Bemerkungen', 'notes'], ['Skills', 'skills'], ['Fähigkeiten', 'skills'], ['Kenntnisse', 'skills'],
    ['Languages', 'languages'], ['Sprachen', 'languages'], ['kind', 'kind'], ['Web Page', 'portfolio_url'], ['URL', 'portfolio_url'],
    ['OPTIN_TIME', 'ignore'], ['MEMBER_RATING', 'ignore'], ['Connected On', 'ignore'], ['', 'ignore'],
  ];
  for (const [header, target] of fields) it(`guesses "${header}" → ${target}`, () => expect(guessField(header)).to.equal(target));

  it('maps several e-mail and phone columns to the same field (a row takes the first it fills)', () => {
    expect(guessMapping(['E-mail 1 - Value', 'E-mail 2 - Value', 'Phone', 'Mobile'])).to.deep.equal(['email', 'email', 'phone', 'phone']);
  });

  it('reads "Name" beside "Vorname" as the surname', () => {
    expect(guessMapping(['Vorname', 'Name', 'E-Mail'])).to.deep.equal(['first_name', 'last_name', 'email']);
  });

  const layouts: [string, string[], Record<string, Target>][] = [
    ['LinkedIn Connections', ['First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', 'Connected On'],
      { 'First Name': 'first_name', 'Last Name': 'last_name', URL: 'portfolio_url', 'Email Address': 'email', Company: 'organisation', Position: 'job_title' }],
    ['Outlook', ['First Name', 'Middle Name', 'Last Name', 'Title', 'Web Page', 'Location', 'Notes', 'E-mail Address', 'E-mail 2 Address', 'E-mail Display Name',
      'Primary Phone', 'Mobile Phone', 'Home Fax', 'Home City', 'Home Postal Code', 'Home Country/Region', 'Company', 'Job Title', 'Business Phone', 'Categories'],
      { 'First Name': 'first_name', 'Last Name': 'last_name', 'Web Page': 'portfolio_url', Location: 'city', Notes: 'notes', 'E-mail Address': 'email',
        'E-mail 2 Address': 'email', 'Primary Phone': 'phone', 'Mobile Phone': 'phone', 'Home City': 'city', 'Home Postal Code': 'postcode',
        'Home Country/Region': 'country', Company: 'organisation', 'Job Title': 'job_title', 'Business Phone': 'phone', Categories: 'tags' }],
    ['Thunderbird', ['First Name', 'Last Name', 'Display Name', 'Nickname', 'Primary Email', 'Secondary Email', 'Work Phone', 'Fax Number', 'Mobile Number',
      'Home City', 'Home ZipCode', 'Work City', 'Job Title', 'Organization', 'Web Page 1', 'Birth Year', 'Notes'],
      { 'First Name': 'first_name', 'Last Name': 'last_name', 'Display Name': 'full_name', 'Primary Email': 'email', 'Secondary Email': 'email',
        'Work Phone': 'phone', 'Mobile Number': 'phone', 'Home City': 'city', 'Home ZipCode': 'postcode', 'Work City': 'city', 'Job Title': 'job_title',
        Organization: 'organisation', 'Web Page 1': 'portfolio_url', Notes: 'notes' }],
    ['HubSpot', ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Company Name', 'Job Title', 'City', 'State/Region', 'Country/Region', 'Postal Code'],
      { 'First Name': 'first_name', 'Last Name': 'last_name', Email: 'email', 'Phone Number': 'phone', 'Company Name': 'organisation', 'Job Title': 'job_title',
        City: 'city', 'Country/Region': 'country', 'Postal Code': 'postcode' }],
    ['a German club list', ['Nachname', 'Vorname', 'E-Mail-Adresse', 'Handy', 'PLZ', 'Wohnort', 'Fähigkeiten', 'Sprachen', 'Art', 'Bemerkungen'],
      { Nachname: 'last_name', Vorname: 'first_name', 'E-Mail-Adresse': 'email', Handy: 'phone', PLZ: 'postcode', Wohnort: 'city', Fähigkeiten: 'skills',
        Sprachen: 'languages', Art: 'kind', Bemerkungen: 'notes' }],
  ];
  for (const [name, headers, expected] of layouts) it(`maps ${name} without help`, () => expect(mapped(headers)).to.deep.equal(expected));

  const multi: [string, string[]][] = [
    ['a; b', ['a', 'b']],
    ['a, b', ['a', 'b']],
    ['* myContacts ::: Volunteers', ['Volunteers']],
    ['"Volunteers","Drivers"', ['Volunteers', 'Drivers']],
    ['"Koch" und Küche', ['"Koch" und Küche']],
    ['Erste Hilfe; Fahren, Kochen', ['Erste Hilfe', 'Fahren, Kochen']],
    ['SEO;seo; Séo', ['SEO']],
    ['a\nb', ['a', 'b']],
    ['  ', []],
  ];
  for (const [cell, parts] of multi) it(`splits ${JSON.stringify(cell)}`, () => expect(splitMulti(cell)).to.deep.equal(parts));

  const skills: [string, { name: string; level: number | null }][] = [
    ['SEO (3/4)', { name: 'SEO', level: 3 }],
    ['SEO (3)', { name: 'SEO', level: 4 }], // a file of the former 1–3 scale: 3 was Expert
    ['SEO (2)', { name: 'SEO', level: 2 }],
    ['SEO:3', { name: 'SEO', level: 4 }],
    ['SEO: expert', { name: 'SEO', level: 4 }],
    ['SEO (Advanced)', { name: 'SEO', level: 3 }],
    ['Fotografie (Grundkenntnisse)', { name: 'Fotografie', level: 1 }],
    ['C (programming)', { name: 'C (programming)', level: null }],
    ['Zeit:Management', { name: 'Zeit:Management', level: null }],
    ['WordPress', { name: 'WordPress', level: null }],
  ];
  for (const [item, skill] of skills) it(`reads the skill ${JSON.stringify(item)}`, () => expect(parseSkill(item)).to.deep.equal(skill));

  const names: [string, { first: string; last: string }][] = [
    ['Müller, Jürgen', { first: 'Jürgen', last: 'Müller' }],
    ['Zoë Ødegård', { first: 'Zoë', last: 'Ødegård' }],
    ['Anna Maria von Berg', { first: 'Anna Maria', last: 'von Berg' }],
    ['Madonna', { first: 'Madonna', last: '' }],
  ];
  for (const [full, split] of names) it(`splits the name ${JSON.stringify(full)}`, () => expect(splitFullName(full)).to.deep.equal(split));

  it('strips the formula guard exports put before + - = @', () => {
    expect(stripFormulaGuard("'+49 30 1234")).to.equal('+49 30 1234');
    expect(stripFormulaGuard("'=SUM(A1)")).to.equal('=SUM(A1)');
    expect(stripFormulaGuard("'t Hooft")).to.equal("'t Hooft");
  });

  it('takes the first e-mail of a cell', () => {
    expect(firstEmail('a@example.org ::: b@example.org')).to.equal('a@example.org');
    expect(firstEmail('Ann Example <ann@example.org>')).to.equal('ann@example.org');
    expect(firstEmail('mailto:x@example.org')).to.equal('x@example.org');
  });

  it('reads kinds in English and German', () => {
    expect(['Ehrenamtlich', 'freelance', 'beides', 'Volunteer', 'astronaut'].map(parseKind)).to.deep.equal(['volunteer', 'freelancer', 'both', 'volunteer', null]);
  });
});
