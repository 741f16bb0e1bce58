// The EJS engine behind res.render. EJS itself, on every render, copies all locals (app.locals, res.locals, the
// page's own) into a fresh object for the page and again for every `include`, and checks each include's path on
// disk (existsSync) — about 5 % of a person's page (BENCHMARKS.md). Here, with Express's view cache on
// (production), a template is compiled once and each include path resolved once per (file, name); an include's
// locals are a new object whose prototype is the including template's locals (same lookups, no copy; what the
// partial assigns stays its own). Without the view cache every render reads, compiles and resolves anew.
//
// How the include is ours: EJS compiles a template into `with (locals) { … }`, so a template's `include(…)` finds
// `locals.include` before EJS's own function. Includes resolve relative to the including file, as EJS does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type Template = (locals: Locals) => string;

export function ejsEngine(): (file: string, options: object, callback: (err: unknown, html?: string) => void) => void {
  const templates = new Map<string, Template>();
  const includes = new Map<string, string>();

  function template(file: string, cache: boolean): Template {
    let t = cache ? templates.get(file) : undefined;
    if (!t) {
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      // unsafePrototypeLocals (EJS ≥ 3.1.10, not in its types): the template uses the locals it is given, uncopied
      const options = { filename: file, unsafePrototypeLocals: true } as ejs.Options;
      t = ejs.compile(source, options) as unknown as Template;
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
      const child = Object.create(locals) as Locals;
      if (extra) Object.assign(child, extra);
      return render(resolve(file, name, cache), child, cache);
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
