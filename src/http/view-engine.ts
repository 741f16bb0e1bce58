// The EJS engine behind res.render. EJS itself, on every render, copies all locals (app.locals, res.locals, the
// page's own) into a fresh object for the page and again for every `include`, and checks each include's path on
// disk (existsSync) — about 5 % of a person's page (BENCHMARKS.md). Here, with Express's view cache on
// (production), a template is compiled once and each include path resolved once per (file, name); an include
// with locals of its own gets a flat copy of the including template's locals plus those (one without renders
// with the including template's; what a partial assigns stays its own either way). Not an object whose
// prototype is the parent's locals: V8 gives every object that becomes a prototype, and every object made from a
// new prototype, hidden classes of their own, and the locals are new on every request — so every request made new
// hidden classes, the templates' property loads kept meeting shapes never seen before, and the collector had more
// to do (a person's page: 949 → 659 µs of server CPU, BENCHMARKS.md). Without the view cache every render reads,
// compiles and resolves anew.
//
// How the include is ours: EJS compiles a template into `with (locals) { … }`, so a template's `include(…)` finds
// `locals.include` before EJS's own function. Includes resolve relative to the including file, as EJS does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;

const HTML_SPECIAL = /[&<>'"]/;
const HTML_SPECIALS = /[&<>'"]/g;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** EJS's escapeXML, same output; most values have nothing to escape and are returned as they are, unscanned twice. */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = String(value);
  return HTML_SPECIAL.test(s) ? s.replace(HTML_SPECIALS, (c) => HTML_ENTITY[c]!) : s;
}
type Template = (locals: Locals) => string;

const JS_WORDS = new Set(('break case catch class const continue debugger default delete do else export extends false finally for function if '
  + 'import in instanceof new null return super switch this throw true try typeof var void while with yield let static enum await '
  + 'implements package protected interface private public arguments eval undefined NaN Infinity locals escapeFn rethrow __output __append '
  + '__line __lines __filename __locals').split(' '));

/**
 * Instead of EJS's `with (locals) { … }` (every name in the template looked up dynamically, through the locals'
 * prototype chain, on every use): one `var name = locals.name` per word the template's code holds, at the
 * top of the template (on its first line, so line numbers stay). A name absent from the locals is undefined
 * (`typeof x !== 'undefined'` works as before); a name that is also a global (String, JSON, …) falls back to
 * the global when the locals do not have it, as `with` did.
 */
export function localsPrelude(source: string): string {
  const names = new Set<string>();
  for (const block of source.matchAll(/<%(?!%)([\s\S]*?)%>/g)) {
    // every word of the code, in strings and comments too: a name too many costs one look-up, one too few breaks
    for (const m of block[1]!.matchAll(/(?<![\w$])[A-Za-z_$][\w$]*/g)) if (!JS_WORDS.has(m[0])) names.add(m[0]);
  }
  if (!names.size) return '';
  const decl = [...names].map((n) => (n in globalThis ? `${n} = ('${n}' in locals) ? locals.${n} : globalThis.${n}` : `${n} = locals.${n}`));
  return `<% var ${decl.join(', ')}; _%>`;
}

export function ejsEngine(): (file: string, options: object, callback: (err: unknown, html?: string) => void) => void {
  const templates = new Map<string, Template>();
  const includes = new Map<string, string>();

  function template(file: string, cache: boolean): Template {
    let t = cache ? templates.get(file) : undefined;
    if (!t) {
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      // unsafePrototypeLocals (EJS ≥ 3.1.10, not in its types): the template uses the locals it is given, uncopied
      const options = { filename: file, unsafePrototypeLocals: true, compileDebug: !cache, escape: escapeHtml, _with: false } as ejs.Options;
      t = ejs.compile(localsPrelude(source) + source, options) as unknown as Template;
      if (cache) templates.set(file, t);
    }
    return t;
  }

  function resolve(from: string, name: string, cache: boolean): string {
    const key = `${from}\0${name}`;
    let file = cache ? includes.get(key) : undefined;
    if (!file) {
      file = path.resolve(path.dirname(from), name) + (path.extname(name) ? '' : '.ejs');
      if (!existsSync(file)) throw new Error(`Could not find the include file "${name}" (from ${from})`);
      if (cache) includes.set(key, file);
    }
    return file;
  }

  function render(file: string, locals: Locals, cache: boolean): string {
    locals.include = (name: string, extra?: Locals) => {
      const target = resolve(file, name, cache);
      if (extra) return render(target, { ...locals, ...extra }, cache);
      // A partial without locals of its own renders with these, uncopied (a copy of some 35 locals for each header,
      // footer and CSRF field): what it assigns stays in its own variables (localsPrelude), and its include
      // points at it only while it renders.
      const own = locals.include;
      try {
        return render(target, locals, cache);
      } finally {
        locals.include = own;
      }
    };
    return template(file, cache)(locals);
  }

  return (file, options, callback) => {
    let html: string;
    try {
      html = render(file, options as Locals, (options as { cache?: boolean }).cache === true);
    } catch (err) {
      callback(err);
      return;
    }
    callback(null, html);
  };
}
