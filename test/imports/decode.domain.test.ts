import { expect } from 'chai';
import {
  ColumnGuard, EncodingSniffer, ImportRefused, checkNotBinary, cleanCell, findHeaderRow, headerLabels, headerSignature, sniffDelimiter,
} from '../../src/imports/decode.domain.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportRefused) return err.key;
    throw err;
  }
  return 'accepted';
}

describe('decode.domain', () => {
  const delimiters: [string, string, string][] = [
    ['commas', 'a,b,c\n1,2,3\n', ','],
    ['semicolons (German Excel) with a comma inside a name', 'Name;Email;Skills\nMüller, Jürgen;jm@example.de;"Erste Hilfe; Fahren"\nZoë;z@example.no;Koch\n', ';'],
    ['tabs', 'a\tb\tc\n1\t2\t3\n', '\t'],
    ['pipes', 'a|b|c\n1|2|3\n', '|'],
    ['commas inside quotes do not count', '"a,b,c";"d"\n"1,2,3";"4"\n', ';'],
    ['a LinkedIn preamble does not confuse it', 'Notes:\n"When exporting, some e-mails are missing; see settings."\n\nFirst Name,Last Name,Email Address\nAda,Lovelace,ada@example.org\n', ','],
    ['quoted line breaks', 'a;b\n"x\ny;z";2\n3;4\n', ';'],
    ['one column: comma by default', 'email\na@example.org\n', ','],
  ];
  for (const [name, text, expected] of delimiters) {
    it(`sniffs the delimiter: ${name}`, () => expect(sniffDelimiter(text)).to.equal(expected));
  }

  const headers: [string, string[][], number | string][] = [
    ['the first row', [['First Name', 'Email'], ['Ada', 'a@example.org']], 0],
    ['after blank lines', [[], [''], ['name', 'email'], ['Ada', 'a@x.org']], 2],
    ['after a LinkedIn preamble', [['Notes:'], ['When exporting your connection data …'], [], ['First Name', 'Last Name', 'URL'], ['Ada', 'L', 'https://x']], 3],
    ['a one-column file', [['email'], ['a@example.org']], 0],
    ['refused: the first row holds an e-mail', [['Ada', 'a@example.org'], ['Bob', 'b@example.org']], 'imports.refused.noHeader'],
    ['refused: the first row holds numbers', [['John', '25', 'xxx']], 'imports.refused.noHeader'],
    ['refused: the first row holds a date', [['CC-1', '10/3/2014', 'green']], 'imports.refused.noHeader'],
    ['refused: nothing but blank rows', [[], ['', '']], 'imports.refused.empty'],
  ];
  for (const [name, records, expected] of headers) {
    it(`finds the header row: ${name}`, () => {
      let got: number | string;
      try {
        got = findHeaderRow(records);
      } catch (err) {
        got = (err as ImportRefused).key;
      }
      expect(got).to.equal(expected);
    });
  }

  it('names blank header cells by position and drops a trailing empty one', () => {
    expect(headerLabels([' a ', '', 'c', ''])).to.deep.equal(['a', '#2', 'c']);
  });

  it('gives the same signature to the same headers in any case or accents', () => {
    expect(headerSignature(['Vorname', 'E-Mail'])).to.equal(headerSignature(['VORNAME', 'E-Mail']));
    expect(headerSignature(['Vorname', 'E-Mail'])).to.not.equal(headerSignature(['E-Mail', 'Vorname']));
    expect(headerSignature(['x'])).to.have.length(64);
  });

  const binaries: [string, number[], string][] = [
    ['text', [...Buffer.from('a,b\n1,2\n')], 'accepted'],
    ['NUL bytes', [0x61, 0x00, 0x62, 0x2c], 'imports.refused.binary'],
    ['an xlsx workbook (zip)', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], 'imports.refused.workbook'],
    ['an old xls workbook', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1], 'imports.refused.workbook'],
    ['UTF-16 text with its BOM', [0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00], 'accepted'],
    ['mostly control characters', [1, 2, 3, 4, 5, 6, 7, 8, 0x61], 'imports.refused.binary'],
  ];
  for (const [name, bytes, expected] of binaries) {
    it(`binary check: ${name} → ${expected}`, () => expect(refusal(() => checkNotBinary(Uint8Array.from(bytes)))).to.equal(expected));
  }

  const encodings: [string, Buffer[], string][] = [
    ['ASCII', [Buffer.from('a,b\n')], 'utf-8'],
    ['UTF-8 with BOM', [Buffer.from('\uFEFFä,ö\n')], 'utf-8'],
    ['UTF-8 split inside a character across chunks', [Buffer.from([0x61, 0xc3]), Buffer.from([0xa4, 0x0a])], 'utf-8'],
    ['Windows-1252 umlauts', [Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])], 'windows-1252'],
    ['valid UTF-8 first, a 1252 byte much later', [Buffer.from('äöü'.repeat(1000)), Buffer.from([0xe9])], 'windows-1252'],
    ['UTF-16LE', [Buffer.from([0xff, 0xfe, 0x61, 0x00])], 'utf-16le'],
  ];
  for (const [name, chunks, expected] of encodings) {
    it(`encoding: ${name} → ${expected}`, () => {
      const s = new EncodingSniffer();
      for (const c of chunks) s.push(c);
      expect(s.end()).to.equal(expected);
    });
  }

  const cells: [string, string][] = [
    ['"Column 1" ', 'Column 1'],
    [' ""', ''],
    ['plain', 'plain'],
    ['"Volunteers","Drivers"', '"Volunteers","Drivers"'],
    ['"Koch" und Küche', '"Koch" und Küche'],
  ];
  for (const [raw, clean] of cells) it(`cleans the cell ${JSON.stringify(raw)}`, () => expect(cleanCell(raw)).to.equal(clean));
});

describe('ColumnGuard: the streaming column cap', () => {
  /** Feeds the text in pieces of `size` characters; the piece at which the guard refused, or -1. */
  const feed = (text: string, size: number, max = 5, d: ',' | ';' | '\t' = ',') => {
    const g = new ColumnGuard(d, max);
    for (let i = 0, n = 0; i < text.length; i += size, n++) if (g.push(text.slice(i, i + size))) return n;
    return -1;
  };

  it('lets records of up to max columns through, however many records', () => {
    expect(feed('a,b,c,d,e\n'.repeat(1000), 7)).to.equal(-1);
    expect(feed('a;b;c;d;e\r\n'.repeat(10), 3, 5, ';')).to.equal(-1);
  });

  it('refuses a record of max + 1 columns far down, in the piece that holds its extra delimiter', () => {
    const text = 'a,b\n'.repeat(500) + 'a,b,c,d,e,f\n' + 'a,b\n'.repeat(500);
    const at = feed(text, 100);
    expect(at).to.equal(Math.floor((2000 + 'a,b,c,d,e'.length) / 100));
  });

  it('stops a 100,000-column record after reading max columns of it', () => {
    const wide = 'x,'.repeat(100_000);
    expect(feed(`${'a,b\n'.repeat(10)}${wide}\n`, 64, 250)).to.equal(Math.floor((40 + 250 * 2 - 1) / 64));
  });

  it('does not count delimiters or line breaks inside quotes, nor "" split across pieces', () => {
    const quoted = '"a,b,c,d,e,f,g","x\n,y,z,w,v,u",c\n';
    for (const size of [1, 2, 3, 5, 100]) expect(feed(quoted.repeat(3), size, 3), `pieces of ${size}`).to.equal(-1);
    const escaped = '"a"",b,c,d,e,f"",g",h\n';
    for (const size of [1, 2, 3, 4, 100]) expect(feed(escaped, size, 2), `pieces of ${size}`).to.equal(-1);
    // a quote in the middle of a field is a character, not a quoted field: its delimiters count
    expect(feed('a"b,c,d,e,f,g\n', 100, 5)).to.equal(0);
  });

  it('counts tabs when the delimiter is a tab', () => {
    expect(feed('a\tb\tc\n', 100, 2, '\t')).to.equal(0);
    expect(feed('a,b,c\n', 100, 2, '\t')).to.equal(-1);
  });
});
