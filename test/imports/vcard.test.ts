// vCard import (issue 13 §6): the examples of RFC 6350 and RFC 2426, a vCard 2.1 with QUOTED-PRINTABLE as
// Outlook writes it, an Apple Contacts card with grouped properties; then a file through the one import path.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import iconv from 'iconv-lite';
import { ImportRefused } from '../../src/imports/decode.domain.js';
import { contactRow, decodeQuotedPrintable, looksLikeVcard, parseVcards, splitEscaped } from '../../src/imports/vcard.domain.js';

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

const RFC6350 = crlf(`BEGIN:VCARD
VERSION:4.0
FN:Simon Perreault
N:Perreault;Simon;;;ing. jr,M.Sc.
BDAY:--0203
ANNIVERSARY:20090808T1430-0500
GENDER:M
LANG;PREF=1:fr
LANG;PREF=2:en
ORG;TYPE=work:Viagenie
ADR;TYPE=work:;Suite D2-630;2875 Laurier;
 Quebec;QC;G1V 2M2;Canada
TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102
TEL;VALUE=uri;TYPE="work,cell,voice,video,text":tel:+1-418-262-6501
EMAIL;TYPE=work:simon.perreault@viagenie.ca
GEO;TYPE=work:geo:46.772673,-71.282945
KEY;TYPE=work;VALUE=uri:
 http://www.viagenie.ca/simon.perreault/simon.asc
TZ:-0500
URL;TYPE=home:http://nomis80.org
END:VCARD
`);

const RFC2426 = crlf(`BEGIN:vCard
VERSION:3.0
FN:Frank Dawson
ORG:Lotus Development Corporation
ADR;TYPE=WORK,POSTAL,PARCEL:;;6544 Battleford Drive
 ;Raleigh;NC;27613-3502;U.S.A.
TEL;TYPE=VOICE,MSG,WORK:+1-919-676-9515
TEL;TYPE=FAX,WORK:+1-919-676-9564
EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com
EMAIL;TYPE=INTERNET:fdawson@earthlink.net
URL:http://home.earthlink.net/~fdawson
END:vCard

BEGIN:vCard
VERSION:3.0
FN:Tim Howes
ORG:Netscape Communications Corp.
ADR;TYPE=WORK:;;501 E. Middlefield Rd.;Mountain View;
 CA; 94043;U.S.A.
TEL;TYPE=VOICE,MSG,WORK:+1-415-937-3419
TEL;TYPE=FAX,WORK:+1-415-528-4164
EMAIL;TYPE=INTERNET:howes@netscape.com
END:vCard
`);

const OUTLOOK21 = crlf(`BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller
TEL;WORK;VOICE:030 111
TEL;CELL;PREF:+49 170 1234567
EMAIL;PREF;INTERNET:juergen@example.org
NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Erste Zeile=0D=0AZweite Zeile mit =E4 und eine lange =
Zeile, die weitergeht
PHOTO;ENCODING=BASE64;TYPE=JPEG:
 /9j/4AAQSkZJRgABAQEASABIAAD/
 2wBDAAMCAgICAgMCAgIDAwMDBAYE

END:VCARD
`);

const APPLE = crlf(`BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//macOS 14.0//EN
N:Ødegård;Zoë;;;
FN:Zoë Ødegård
ORG:Kiezladen e.V.;Vorstand
TITLE:Projektleitung
item1.EMAIL;type=INTERNET;type=pref:zoe@example.org
item1.X-ABLabel:_$!<Other>!$_
item2.TEL;type=pref:+49 30 1234567
item3.ADR;type=HOME;type=pref:;;Hauptstr. 1;Berlin;;10115;Deutschland
NOTE:Kann Fotografie\\, Layout\\nund Texte
CATEGORIES:Ehrenamt,Fotografie
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD
END:VCARD
`);

describe('vCard reader', () => {
  it('RFC 6350 §8: folded ADR, PREF, tel: URIs, structured N', () => {
    const [c] = parseVcards(RFC6350);
    expect(contactRow(c!)).to.deep.include({
      first_name: 'Simon', last_name: 'Perreault', full_name: 'Simon Perreault', email: 'simon.perreault@viagenie.ca',
      phone: '+1-418-656-9254;ext=102', organisation: 'Viagenie', city: 'Quebec', postcode: 'G1V 2M2', country: 'Canada', website: 'http://nomis80.org',
    });
  });

  it('RFC 2426 §7: two contacts, folding inside a structured value, TYPE=PREF picks the e-mail', () => {
    const cs = parseVcards(RFC2426);
    expect(cs.map((c) => c.line)).to.deep.equal([1, 14]);
    const [frank, tim] = cs.map(contactRow);
    expect(frank).to.deep.include({ full_name: 'Frank Dawson', email: 'Frank_Dawson@Lotus.com', city: 'Raleigh', postcode: '27613-3502', country: 'U.S.A.', phone: '+1-919-676-9515' });
    expect(tim).to.deep.include({ full_name: 'Tim Howes', organisation: 'Netscape Communications Corp.', city: 'Mountain View', postcode: '94043' });
  });

  it('vCard 2.1: QUOTED-PRINTABLE in its CHARSET with soft line breaks, bare parameters, the photo skipped', () => {
    const [c] = parseVcards(OUTLOOK21);
    expect(contactRow(c!)).to.deep.include({
      first_name: 'Jürgen', last_name: 'Müller', full_name: 'Jürgen Müller', email: 'juergen@example.org', phone: '+49 170 1234567',
      notes: 'Erste Zeile\r\nZweite Zeile mit ä und eine lange Zeile, die weitergeht',
    });
    expect(c!.props.find((p) => p.name === 'PHOTO')!.params.ENCODING).to.deep.equal(['BASE64']);
    expect(decodeQuotedPrintable('=E4', 'ISO-8859-1')).to.equal('ä');
  });

  it('Apple Contacts: grouped properties, escaped text, CATEGORIES as tags', () => {
    const [c] = parseVcards(APPLE);
    expect(contactRow(c!)).to.deep.equal({
      first_name: 'Zoë', last_name: 'Ødegård', full_name: 'Zoë Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567',
      organisation: 'Kiezladen e.V.', job_title: 'Projektleitung', city: 'Berlin', postcode: '10115', country: 'Deutschland', website: '',
      notes: 'Kann Fotografie, Layout\nund Texte', tags: 'Ehrenamt; Fotografie',
    });
    expect(c!.props.find((p) => p.name === 'EMAIL')!.group).to.equal('item1');
    expect(splitEscaped('a\\;b;c\\,d', ';')).to.deep.equal(['a;b', 'c,d']);
  });

  it('what is not a vCard is refused naming the line', () => {
    const key = (text: string) => {
      try {
        parseVcards(text);
        return null;
      } catch (err) {
        return err instanceof ImportRefused ? [err.key, err.vars.row] : String(err);
      }
    };
    expect(key('BEGIN:VCARD\r\nVERSION:3.0\r\nFN Ann\r\nEND:VCARD\r\n')).to.deep.equal(['imports.refused.vcardLine', 3]);
    expect(key('BEGIN:VCARD\r\nFN:Ann\r\n')).to.deep.equal(['imports.refused.vcardUnended', 1]);
    expect(key('FN:Ann\r\n')).to.deep.equal(['imports.refused.vcardLine', 1]);
    expect(looksLikeVcard('\uFEFF\r\nBEGIN:VCARD\r\n')).to.equal(true);
    expect(looksLikeVcard('Name,E-Mail\r\n')).to.equal(false);
  });
});

describe('vCard files through the import', function () {
  this.timeout(240000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-vcf-'));
  it('a file of several contacts (Windows-1252 too) imports; 10,000 contacts import; a second import creates nobody', async () => {
    const db = path.join(dir, 'v.sqlite');
    const run = (args: string[]) => spawnSync(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${db}` }, encoding: 'utf8', timeout: 120000 });
    const f = path.join(dir, 'contacts.vcf');
    writeFileSync(f, RFC6350 + RFC2426 + OUTLOOK21 + APPLE);
    const r = run(['import', 'people', f, '--json']);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ batch: 1, rows: 5, created: 5, updated: 0, unchanged: 0, skipped: 0, errors: 0 });
    const again = run(['import', 'people', f, '--json', '--on-duplicate', 'update']);
    expect(JSON.parse(again.stdout)).to.include({ created: 0, updated: 0, unchanged: 5 });
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: db }, useNullAsDefault: true });
    try {
      const zoe = await k('people').where({ email: 'zoe@example.org' }).first();
      expect(zoe).to.include({ first_name: 'Zoë', last_name: 'Ødegård', organisation: 'Kiezladen e.V.', city: 'Berlin', postcode: '10115' });
      expect(await k('tags').orderBy('name').pluck('name')).to.deep.equal(['Ehrenamt', 'Fotografie']);
    } finally {
      await k.destroy();
    }
    const latin = path.join(dir, 'latin.vcf');
    writeFileSync(latin, iconv.encode(crlf('BEGIN:VCARD\nVERSION:3.0\nN:Schäfer;Clara\nEMAIL:clara@example.org\nEND:VCARD\n'), 'windows-1252'));
    expect(JSON.parse(run(['import', 'people', latin, '--json']).stdout)).to.include({ created: 1 });
    const many = path.join(dir, 'many.vcf');
    writeFileSync(many, Array.from({ length: 10_000 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person${i};Test\r\nEMAIL:p${i}@example.org\r\nEND:VCARD\r\n`).join(''));
    expect(JSON.parse(run(['import', 'people', many, '--json', '--dry-run']).stdout)).to.include({ rows: 10_000, created: 10_000, errors: 0 });
    const bad = path.join(dir, 'bad.vcf');
    writeFileSync(bad, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nthis is no property\r\nEND:VCARD\r\n');
    const refused = run(['import', 'people', bad]);
    expect(refused.status).to.equal(2);
    expect(refused.stderr.trim()).to.equal(`skillnet: ${bad}: Line 4 is not a vCard line (a property needs a “:”; contacts go between BEGIN:VCARD and END:VCARD).`);
  });
});
