// bin/compile.js: the CLI runs as one CommonJS file bundled from src/, bundled again whenever a source changed,
// and through tsx when it cannot be compiled; bin/code-cache.js runs it with V8's code cache and maps its stacks.
// Exercised on a small project of its own (src/, seeds/, the settings files), then on this checkout's own
// bin/skillnet.js.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, compiledEntry, freshEntry } from '../../bin/compile.js';

const CHECKOUT = path.resolve(import.meta.dirname, '../..');
const node = (file: string, env: Record<string, string> = {}, args: string[] = []) =>
  spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });

describe('compiled CLI (bin/compile.js)', function () {
  this.timeout(60000);
  let root: string;
  let cache: string;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  const builds = () => readdirSync(cache).filter((e) => e.startsWith('b-'));

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'skillnet-compile-'));
    cache = path.join(root, 'cache');
    for (const f of ['tsconfig.json', 'package.json', 'bin/build-cache.js', 'bin/compile.js', 'bin/code-cache.js']) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      copyFileSync(path.join(CHECKOUT, f), path.join(root, f));
    }
    write('src/main.ts', [
      "import { greeting } from './words/greet.js';",
      "import { seedName } from '../seeds/names.js';",
      'const n: number = 2;',
      "console.log(JSON.stringify({ greeting, seedName, n, url: import.meta.url, views: new URL('../views/', import.meta.url).pathname }));",
    ].join('\n'));
    write('src/words/greet.ts', "export const greeting: string = 'hello';\n");
    write('seeds/names.ts', "export const seedName = 'demo';\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const runFile = (file: string) => {
    const r = node(file);
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as unknown;
  };
  /** Runs a compiled entry as bin/skillnet.js does: code cache, stacks through the source map. */
  const runEntry = (entry: string, args: string[] = []) => {
    const cacheJs = path.join(root, 'bin', 'code-cache.js');
    write('run-entry.mjs', [
      `import { mapStacksOf, requireWithCodeCache } from ${JSON.stringify(`file://${cacheJs}`)};`,
      'process.setSourceMapsEnabled(true);',
      'mapStacksOf(process.argv[2]);',
      "requireWithCodeCache(process.argv[2], 'test');",
    ].join('\n'));
    const r = spawnSync(process.execPath, [path.join(root, 'run-entry.mjs'), entry, ...args], { encoding: 'utf8', env: process.env, timeout: 60000 });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as { greeting: string; seedName: string; n: number; url: string; views: string };
  };

  it('bundles the entry with what it imports into one CommonJS file; a module imported on demand starts when asked; import.meta.url stays the source file', async () => {
    write('src/later.ts', "(globalThis as any).laterStarted = true;\nexport const later: string = 'loaded when asked';\n");
    write('src/main.ts', readFileSync(path.join(root, 'src/main.ts'), 'utf8')
      .replace('console.log(', "const before = Boolean((globalThis as any).laterStarted);\nvoid import('./later.js').then(({ later }) => console.log(")
      .replace('{ greeting,', '{ before, later, greeting,').replace(/\);$/, '));'));
    const entry = await compile(root, 'src/main.ts', cache);
    expect(entry).to.match(/[/\\]src[/\\]main\.cjs$/);
    expect(readdirSync(path.dirname(entry)).filter((f) => !f.startsWith('main.cjs')), 'one file (and its source map)').to.deep.equal([]);
    const bundled = readFileSync(entry, 'utf8');
    expect(bundled, 'an imported source is in the bundle').to.match(/greeting ?= ?"hello"/);
    expect(bundled, 'and so is the one imported on demand').to.include('loaded when asked');
    expect(bundled, 'no import() is left (a script run by vm has none)').to.not.match(/(?<![\w$.])import\(/);
    const out = runEntry(entry) as ReturnType<typeof runEntry> & { later: string; before: boolean };
    expect(out.before, 'not started before it was imported').to.equal(false);
    expect(out.later).to.equal('loaded when asked');
    expect(out).to.include({ greeting: 'hello', seedName: 'demo', n: 2 });
    expect(out.url).to.equal(new URL(`file://${path.join(root, 'src/main.ts')}`).href);
    expect(out.views).to.equal(path.join(root, 'views') + '/');
  });

  it('an error stack names the TypeScript file and line, through the source map', async () => {
    write('src/words/fail.ts', ['// one', '// two', 'export function fail(): never {', "  throw new Error('failed on purpose');", '}', ''].join('\n'));
    write('src/main.ts', "import { fail } from './words/fail.js';\ntry {\n  fail();\n} catch (err) {\n  console.log(JSON.stringify({ stack: (err as Error).stack }));\n}\n");
    const entry = await compile(root, 'src/main.ts', cache);
    const { stack } = runEntry(entry) as unknown as { stack: string };
    expect(stack).to.match(/^Error: failed on purpose\n/);
    expect(stack).to.include(`at fail (${path.join(root, 'src/words/fail.ts')}:4:9)`);
    expect(stack).to.include(`${path.join(root, 'src/main.ts')}:3:3`);
    expect(stack).to.not.include('main.cjs');
    // a damaged map: the stack is still there, in the bundle's own lines
    writeFileSync(`${entry}.map`, '{ not json');
    const plain = (runEntry(entry) as unknown as { stack: string }).stack;
    expect(plain).to.match(/^Error: failed on purpose\n\s+at fail \(.*main\.cjs:\d+:\d+\)/);
  });

  it('is reused while nothing changed, and compiled again after an edit, a new file or a removed one', async () => {
    const first = await compiledEntry(root, 'src/main.ts', cache);
    expect(first).to.be.a('string');
    expect(freshEntry(root, 'src/main.ts', cache)).to.equal(first);
    expect(await compiledEntry(root, 'src/main.ts', cache)).to.equal(first);
    expect(builds()).to.have.length(1);

    write('src/words/greet.ts', "export const greeting: string = 'hallo';\n");
    expect(freshEntry(root, 'src/main.ts', cache)).to.equal(null);
    const second = (await compiledEntry(root, 'src/main.ts', cache))!;
    expect(second).to.not.equal(first);
    expect(runEntry(second).greeting).to.equal('hallo');

    write('src/words/other.ts', 'export const x = 1;\n');
    expect(freshEntry(root, 'src/main.ts', cache), 'a new file in a folder').to.equal(null);
    await compiledEntry(root, 'src/main.ts', cache);
    rmSync(path.join(root, 'src/words/other.ts'));
    expect(freshEntry(root, 'src/main.ts', cache), 'a removed file').to.equal(null);
    await compiledEntry(root, 'src/main.ts', cache);

    writeFileSync(path.join(root, 'tsconfig.json'), readFileSync(path.join(root, 'tsconfig.json'), 'utf8') + '\n');
    expect(freshEntry(root, 'src/main.ts', cache), 'a changed tsconfig.json').to.equal(null);
  });

  it('is not used for another checkout (a moved folder compiles again)', async () => {
    await compile(root, 'src/main.ts', cache);
    const current = JSON.parse(readFileSync(path.join(cache, 'current.json'), 'utf8')) as { root: string };
    writeFileSync(path.join(cache, 'current.json'), JSON.stringify({ ...current, root: '/elsewhere' }));
    expect(freshEntry(root, 'src/main.ts', cache)).to.equal(null);
  });

  it('a syntax error gives null (tsx runs it and reports), and the last good build stays current', async () => {
    const good = await compile(root, 'src/main.ts', cache);
    write('src/words/greet.ts', 'export const greeting: string = ;\n');
    expect(await compiledEntry(root, 'src/main.ts', cache)).to.equal(null);
    expect(builds(), 'the failed build leaves no folder').to.deep.equal([path.basename(path.dirname(path.dirname(good)))]);
    const current = JSON.parse(readFileSync(path.join(cache, 'current.json'), 'utf8')) as { build: string };
    expect(path.join(cache, current.build, 'src', 'main.cjs')).to.equal(good);
  });

  it('processes compiling at once each finish, and the current build runs', async () => {
    const entries = await Promise.all([1, 2, 3].map(() => compile(root, 'src/main.ts', cache)));
    expect(new Set(entries).size).to.equal(3);
    const fresh = freshEntry(root, 'src/main.ts', cache)!;
    expect(entries).to.include(fresh);
    expect(runEntry(fresh).greeting).to.equal('hello');
  });

  it('removes builds over ten minutes old that are not current, and keeps younger ones', async () => {
    const a = path.dirname(path.dirname(await compile(root, 'src/main.ts', cache)));
    const b = path.dirname(path.dirname(await compile(root, 'src/main.ts', cache)));
    const old = (Date.now() - 11 * 60 * 1000) / 1000;
    utimesSync(a, old, old);
    expect(existsSync(b)).to.equal(true);
    writeFileSync(path.join(cache, 'current.json.b-killed'), '{}'); // a process killed between writing and renaming
    utimesSync(path.join(cache, 'current.json.b-killed'), old, old);
    const c = path.dirname(path.dirname(await compile(root, 'src/main.ts', cache)));
    expect(existsSync(path.join(cache, 'current.json.b-killed')), 'an old pointer file never renamed').to.equal(false);
    expect(existsSync(a), 'old and not current').to.equal(false);
    expect(existsSync(b), 'young').to.equal(true);
    expect(existsSync(c), 'current').to.equal(true);
  });

  it("this checkout's bin/skillnet.js runs the compiled CLI (migrations too), and with SKILLNET_TSX=1 the TypeScript through tsx", () => {
    // what a run loaded: every ES module (a loader hook) and every CommonJS file (require.cache when it ends)
    write('hook.mjs', 'export async function load(url, ctx, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, ctx); }\n');
    write('register.mjs', `import { register } from 'node:module'; register(${JSON.stringify(`file://${path.join(root, 'hook.mjs')}`)});\n`);
    write('required.cjs', "process.on('exit', () => { for (const f of Object.keys(require.cache)) process.stderr.write(`REQUIRED ${f}\\n`); });\n");
    const run = (extra: Record<string, string>) => {
      const r = spawnSync(process.execPath, ['--import', path.join(root, 'register.mjs'), '--require', path.join(root, 'required.cjs'), 'bin/skillnet.js', 'export', 'people', '--q', 'x'], {
        cwd: CHECKOUT, encoding: 'utf8', timeout: 60000,
        env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(root, `db${extra.SKILLNET_TSX ?? ''}.sqlite`)}`, ...extra },
      });
      expect(r.status, r.stderr).to.equal(0);
      return {
        out: r.stdout,
        loaded: [...r.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!),
        required: [...r.stderr.matchAll(/^REQUIRED (.*)$/gm)].map((m) => m[1]!),
      };
    };
    const first = run({});
    const fresh = freshEntry(CHECKOUT, 'src/cli.ts');
    expect(fresh, 'the run left a current build of these sources').to.be.a('string');
    expect(fresh).to.match(/[/\\]src[/\\]cli\.cjs$/);
    // knex, and the session store that requires it, are inside: no command or server loads knex's files beside it
    expect(readFileSync(fresh!, 'utf8')).to.not.match(/require\("(knex|connect-session-knex)"\)/);
    // (a new database: its migrations ran, TypeScript through tsx, which imports src/db.ts and so knex's own files)
    expect(first.loaded.some((u) => /\/migrations\/\d+_.*\.ts$/.test(u)), 'the migrations of a new database ran (through tsx)').to.equal(true);
    // (other tests may have run other commands of this build)
    expect(readdirSync(path.dirname(fresh!)), 'the export wrote the code cache of its kind').to.include(`cli.cjs.export.${process.version}-${process.arch}.v8cache`);
    // the same database again: nothing to migrate, so the run loads the one bundle and no source, chunk or knex file
    const compiled = run({});
    const ours = [...compiled.loaded, ...compiled.required.map((f) => `file://${f}`)].filter((u) => (!u.includes('/node_modules/') || u.includes('/.cache/')) && !u.startsWith(`file://${root}`));
    expect(ours.filter((u) => !u.startsWith('node:')).map((u) => path.relative(CHECKOUT, fileURLToPath(u))).sort())
      .to.deep.equal(['bin/build-cache.js', 'bin/code-cache.js', 'bin/skillnet.js']);
    expect(compiled.required.filter((f) => f.includes(`${path.sep}knex${path.sep}`)), 'knex is in the bundle').to.deep.equal([]);
    const viaTsx = run({ SKILLNET_TSX: '1' });
    expect(viaTsx.loaded).to.include(`file://${path.join(CHECKOUT, 'src/cli.ts')}`);
    expect(viaTsx.loaded.some((u) => u.includes('.cache/skillnet'))).to.equal(false);
    expect(viaTsx.out).to.equal(compiled.out);
    expect(compiled.out).to.match(/^\uFEFF?ID,/);
  });

  it('knex in the bundle runs SQLite and PostgreSQL, and a dialect left out of it says so', async () => {
    symlinkSync(path.join(CHECKOUT, 'node_modules'), path.join(root, 'node_modules'));
    write('src/main.ts', [
      "import knex from 'knex';",
      'async function main() {',
      "  const lite = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });",
      "  const [row] = (await lite.raw('select 40 + 2 as n')) as { n: number }[];",
      '  await lite.destroy();',
      "  const pg = knex({ client: 'pg' }).select('a').from('t').where({ b: 1 }).toSQL().sql;",
      '  let mysql: string | null = null;',
      "  try { knex({ client: 'mysql' }); } catch (err) { mysql = (err as Error).message; }",
      '  console.log(JSON.stringify({ n: row!.n, pg, mysql }));',
      '}',
      'void main();',
    ].join('\n'));
    const entry = await compile(root, 'src/main.ts', cache);
    expect(readFileSync(entry, 'utf8'), 'knex is bundled, not required').to.not.match(/require\("knex"\)/);
    const out = runEntry(entry) as unknown as { n: number; pg: string; mysql: string | null };
    expect(out.n).to.equal(42);
    expect(out.pg).to.equal('select "a" from "t" where "b" = ?');
    expect(out.mysql).to.match(/knex dialect mysql is not bundled: Skillnet runs on SQLite or PostgreSQL/);
  });

  it('a CommonJS bundle runs with a code cache written by the first run, and without one that does not fit', () => {
    write('lib/bundle.cjs', "exports.sum = (a, b) => a + b; exports.dir = __dirname; exports.late = () => __import('node:path').then((p) => typeof p.join);\n");
    const cacheJs = path.join(root, 'bin', 'code-cache.js');
    write('run.mjs', [
      `import { requireWithCodeCache } from ${JSON.stringify(`file://${cacheJs}`)};`,
      `const m = requireWithCodeCache(${JSON.stringify(path.join(root, 'lib', 'bundle.cjs'))});`,
      'console.log(JSON.stringify({ sum: m.sum(2, 3), dir: m.dir, late: await m.late() }));',
    ].join('\n'));
    // a server (bin/skillnet.js serve) writes none
    write('serve.mjs', `import { writeCodeCacheOnExit } from ${JSON.stringify(`file://${cacheJs}`)};\nwriteCodeCacheOnExit(false);\nawait import('./run.mjs');\n`);
    const cached = () => readdirSync(path.join(root, 'lib')).filter((f) => f.endsWith('.v8cache'));
    const first = runFile(path.join(root, 'serve.mjs')) as unknown as { sum: number; dir: string; late: string };
    expect(first).to.deep.equal({ sum: 5, dir: path.join(root, 'lib'), late: 'function' });
    expect(cached(), 'a server writes no cache').to.deep.equal([]);
    expect(runFile(path.join(root, 'run.mjs'))).to.deep.equal(first);
    expect(cached(), 'written when the first command ended').to.have.length(1);
    const file = path.join(root, 'lib', cached()[0]!);
    const size = readFileSync(file).length;
    expect(runFile(path.join(root, 'run.mjs'))).to.deep.equal(first);
    writeFileSync(file, 'not a code cache');
    expect(runFile(path.join(root, 'run.mjs')), 'a cache V8 rejects: runs without it').to.deep.equal(first);
    expect(readFileSync(file).length, 'and is written again').to.equal(size);
    // each kind of command has a cache of its own (named by letters only)
    write('kind.mjs', `import { requireWithCodeCache } from ${JSON.stringify(`file://${cacheJs}`)};\nrequireWithCodeCache(${JSON.stringify(path.join(root, 'lib', 'bundle.cjs'))}, process.argv[2]);\nconsole.log('{}');\n`);
    for (const kind of ['export', 'migrate', '../x']) expect(node(path.join(root, 'kind.mjs'), {}, [kind]).status).to.equal(0);
    // a run that fails (a mistyped command) writes none
    write('fails.mjs', `import { requireWithCodeCache } from ${JSON.stringify(`file://${cacheJs}`)};\nrequireWithCodeCache(${JSON.stringify(path.join(root, 'lib', 'bundle.cjs'))}, 'frobnicate');\nprocess.exitCode = 2;\n`);
    expect(node(path.join(root, 'fails.mjs')).status).to.equal(2);
    const v = `${process.version}-${process.arch}`;
    expect(cached().sort(), 'a kind that is not a word uses the cache without one').to.deep.equal([`bundle.cjs.export.${v}.v8cache`, `bundle.cjs.migrate.${v}.v8cache`, `bundle.cjs.${v}.v8cache`]);
  });
});
