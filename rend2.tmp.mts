import './src/features.js';
import { ejsEngine } from './src/http/view-engine.js';
import { catalog } from './src/i18n/catalog.js';
import { makeFormatters, makeTranslator } from './src/i18n/i18n.js';
import { VIEW_CHOICES, VIEW_HELPERS, VIEW_LIMITS } from './src/views.js';
import { can } from './src/users/roles.domain.js';
import { createDb } from './src/db.js';
import { personPage } from './src/people/people.queries.js';
import { displayName } from './src/people/people.domain.js';
const db = createDb({ databaseFile: '/tmp/p100k.db' } as never);
const page = await personPage(db, 30597, { role: 'admin', locale: 'en' });
const eng = ejsEngine();
const file = process.cwd() + '/views/people/show.ejs';
const mk = () => ({ cache: true, choices: VIEW_CHOICES, limits: VIEW_LIMITS, ...VIEW_HELPERS, locale: 'en', t: makeTranslator(catalog, 'en'), fmt: makeFormatters('en'),
  user: { id: 1, email: 'a@b.c', name: 'Admin', role: 'admin' }, csrfToken: 'x'.repeat(43), flash: [], path: '/people/30597', currentUrl: '/people/30597', errors: {}, values: {}, title: displayName(page!.person as never),
  can: (a: string) => can('admin' as never, a as never, { exportsRestricted: false, twoFactor: 'off' } as never), ...page });
let html = '';
for (let i = 0; i < 2000; i++) eng(file, mk(), (e, h) => { if (e) throw e; html = h!; });
const N = Number(process.env.N ?? 5000);
const t0 = performance.now();
for (let i = 0; i < N; i++) eng(file, mk(), (e, h) => { html = h!; });
console.log('render show', ((performance.now() - t0) * 1000 / N).toFixed(1), 'µs', html.length);
const t1 = performance.now();
for (let i = 0; i < N; i++) await personPage(db, 30597, { role: 'admin', locale: 'en' });
console.log('personPage', ((performance.now() - t1) * 1000 / N).toFixed(1), 'µs');
await db.destroy();
