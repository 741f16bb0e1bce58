// "All SQL in *.queries.ts" (README, Development): outside the query modules and src/db.ts no file builds a
// knex query on a table, passes SQL text to raw()/prepare()/exec(), or holds a SQL statement in a string.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PATTERNS: [string, RegExp][] = [
  ['a knex query on a table', /\b(?:db|trx|knex|conn|tx|ctx\.db|this\.db)\s*\(\s*['"`][a-z_]+['"`]\s*\)/],
  ['SQL given to raw/prepare/exec', /\.(?:raw|prepare|exec)\(\s*['"`]\s*(?:select|insert|update|delete|with|vacuum|pragma|create|drop|alter|begin|commit|rollback)\b/i],
  ['a SQL statement in a string', /['"`]\s*(?:SELECT\s[^'"`]*\bFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)/],
  ['a SQL statement in a string', /['"`]\s*(?:select\s+[\w.*(),]+(?:\s+as\s+\w+)?(?:,\s*[\w.*()]+(?:\s+as\s+\w+)?)*\s+from\s+\w|insert\s+into\s+\w+\s*\(|update\s+\w+\s+set\s+\w+\s*=|delete\s+from\s+\w+\s+where)/],
];

/** Why a source text holds SQL outside its home: one line per finding. */
export function sqlFindings(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may talk about SQL
    for (const [what, re] of PATTERNS) if (re.test(line)) out.push(`${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
  });
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

describe('one home for SQL', () => {
  it('the check finds SQL and passes plain code', () => {
    expect(sqlFindings("const r = await db('people').where({ id });")).to.have.length(1);
    expect(sqlFindings("await ctx.db.raw('VACUUM INTO ?', [target]);")).to.have.length(1);
    expect(sqlFindings('const q = `SELECT id FROM people WHERE x = ?`;')).to.have.length(1);
    expect(sqlFindings("conn.prepare('select max(id) from people').get()")).to.have.length(2);
    expect(sqlFindings("const q = 'select p.id, count(*) as n from people p';")).to.have.length(1);
    expect(sqlFindings("const v = this.raw(field).trim();\n// select the people from the list\nconst m = 'Select a person from the list';")).to.deep.equal([]);
  });

  it('no file outside *.queries.ts and src/db.ts holds SQL', () => {
    const found = tsFiles('src')
      .filter((f) => !f.endsWith('.queries.ts') && path.basename(f) !== 'db.ts' || path.dirname(f) !== 'src' && path.basename(f) === 'db.ts')
      .flatMap((f) => sqlFindings(readFileSync(f, 'utf8')).map((x) => `${f}:${x}`));
    expect(found).to.deep.equal([]);
  });
});
