// The EJS engine behind res.render (src/http/view-engine.ts): includes relative to the including file, with their
// own locals on top of the includer's; with the view cache a template is compiled and an include resolved once.
import { expect } from 'chai';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ejsEngine, escapeHtml, localsPrelude } from '../../src/http/view-engine.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import ejs from 'ejs';

function render(engine: ReturnType<typeof ejsEngine>, file: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => engine(file, locals, (err, html) => (err ? reject(err) : resolve(html!))));
}

describe('the EJS view engine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-views-'));
    mkdirSync(path.join(dir, 'partials'));
    mkdirSync(path.join(dir, 'people'));
    writeFileSync(path.join(dir, 'partials', 'input.ejs'), '<% label = label.toUpperCase() %>[<%= label %>:<%= title %>]');
    writeFileSync(path.join(dir, 'people', '_row.ejs'), '<%- include("../partials/input", { label: name }) %>');
    writeFileSync(path.join(dir, 'people', 'show.ejs'),
      '<%= title %> <%- include("_row", { name: "a<b" }) %> <%- include("_row", { name: "c" }) %> <%= typeof label %>');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const cache of [false, true]) {
    it(`renders includes relative to the including file, each with its own locals (view cache ${cache ? 'on' : 'off'})`, async () => {
      const html = await render(ejsEngine(), path.join(dir, 'people', 'show.ejs'), { title: 'T&', cache });
      expect(html).to.equal('T&amp; [A&lt;B:T&amp;] [C:T&amp;] undefined');
    });
  }

  for (const cache of [false, true]) {
    it(`an include without locals of its own: what it assigns stays its own, and the includer's next include resolves from the includer (view cache ${cache ? 'on' : 'off'})`, async () => {
      writeFileSync(path.join(dir, 'partials', 'header.ejs'), '<% title = "changed" %>H(<%= title %>)<%- include("sub") %>');
      writeFileSync(path.join(dir, 'partials', 'sub.ejs'), 'S(<%= title %>)');
      writeFileSync(path.join(dir, 'people', 'page.ejs'), '<%- include("../partials/header") %>|<%= title %>|<%- include("_row", { name: "x" }) %>');
      const locals = { title: 'T&', cache };
      const html = await render(ejsEngine(), path.join(dir, 'people', 'page.ejs'), locals);
      expect(html).to.equal('H(changed)S(T&amp;)|T&amp;|[X:T&amp;]');
      expect(locals.title).to.equal('T&');
    });
  }

  it('with the view cache, a template is compiled once; without it, every render reads the file again', async () => {
    const file = path.join(dir, 'people', 'show.ejs');
    const cached = ejsEngine();
    const fresh = ejsEngine();
    expect(await render(cached, file, { title: 'x', cache: true })).to.contain('[C:x]');
    expect(await render(fresh, file, { title: 'x' })).to.contain('[C:x]');
    writeFileSync(path.join(dir, 'partials', 'input.ejs'), '(changed)');
    expect(await render(cached, file, { title: 'x', cache: true })).to.contain('[C:x]');
    expect(await render(fresh, file, { title: 'x' })).to.contain('(changed)');
  });

  it('a missing include is an error that names it', async () => {
    writeFileSync(path.join(dir, 'people', 'broken.ejs'), '<%- include("../partials/nothing") %>');
    for (const cache of [false, true]) {
      const err = await render(ejsEngine(), path.join(dir, 'people', 'broken.ejs'), { cache }).then(() => null, (e: Error) => e);
      expect(err?.message).to.contain('../partials/nothing');
    }
  });

  for (const cache of [false, true]) {
    it(`names come from the locals without with(): absent ones undefined, globals unless the locals have them (view cache ${cache ? 'on' : 'off'})`, async () => {
      const file = path.join(dir, 'names.ejs');
      writeFileSync(file, [
        '<%= typeof missing %>|<%= typeof hint !== "undefined" ? hint : "-" %>|<%= String(n).padStart(3, "0") %>|<%= JSON.stringify(list) %>',
        '<% /* a comment naming other words: person\'s data */ var local = n * 2; // and a line comment %>',
        '<%= local %>|<%= escape %>|<% list.forEach(function (x, i) { %><%= i %>=<%= x %>;<% }) %>|<%- include("partials/input", { label: "x" }) %>',
      ].join('\n'));
      const html = await render(ejsEngine(), file, { n: 7, list: ['a', '<b>'], escape: 'mine', title: 't', cache });
      expect(html).to.equal('undefined|-|007|[&#34;a&#34;,&#34;&lt;b&gt;&#34;]\n\n14|mine|0=a;1=&lt;b&gt;;|[X:t]');
      // an error in a template is still an error
      writeFileSync(path.join(dir, 'broken.ejs'), '<%= n.nothing.here %>');
      let error: unknown = null;
      await render(ejsEngine(), path.join(dir, 'broken.ejs'), { n: {}, cache }).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/TypeError/);
    });
  }

  it('escapes exactly as EJS does', () => {
    for (const v of ['plain', 'a&b<c>"d\'e', '', 0, 12.5, null, undefined, false, { toString: () => '<x>' }, ['<', 1]]) {
      expect(escapeHtml(v), String(v)).to.equal(ejs.escapeXML(v as string));
    }
  });

  it('every view of the app compiles with its names read from the locals (no with)', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ejs') ? [p] : [];
    });
    const views = files(path.resolve('views'));
    expect(views.length).to.be.greaterThan(50);
    for (const file of views) {
      const source = readFileSync(file, 'utf8');
      expect(() => ejs.compile(localsPrelude(source) + source, { filename: file, _with: false, compileDebug: false } as ejs.Options), file).to.not.throw();
    }
  });
});
