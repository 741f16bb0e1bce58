import { expect } from 'chai';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { buildNetwork, type Network } from '../search/network.js';
import { csvFile, importCsv, TEST_ACTOR } from '../imports/helpers.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { setSetting } from '../../src/settings/settings.queries.js';
import { detectFile } from '../../src/imports/csv.reader.js';
import { guessEngagementMapping } from '../../src/imports/engagements.domain.js';
import { importEngagementsFile } from '../../src/imports/engagements.service.js';
import { NETWORK_TABLES } from '../../src/exports/network.domain.js';
import { readZip } from './helpers.js';
import { parseAnySeparator } from '../support/any-separator.js';

type Agent = LoggedIn['agent'];

/** GETs a download and returns status, headers and the body as bytes. */
async function fetch(agent: Agent, url: string, lang = 'en') {
  const res = await agent.get(url).set('Accept-Language', lang).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers, body: res.body as Buffer, text: (res.body as Buffer).toString('utf8') };
}

/** The records of a CSV download (header first), after checking BOM and CRLF. */
function records(text: string, delimiter: ',' | ';'): string[][] {
  expect(text.charCodeAt(0), 'BOM').to.equal(0xfeff);
  expect(text.endsWith('\r\n'), 'CRLF at the end').to.equal(true);
  expect(text.replace(/"[^"]*"/g, '').replace(/\r\n/g, ''), 'no bare line break outside quotes').to.not.match(/[\r\n]/);
  return parse(text, { bom: true, delimiter, relax_column_count: false }) as string[][];
}

async function lastExportAudit(env: TestEnv) {
  const row = await env.db('audit_log').where({ action: 'export' }).orderBy('id', 'desc').first();
  return { actor: row.actor, entity: row.entity_type, changes: JSON.parse(row.changes) };
}

describe('exports over HTTP', function () {
  this.timeout(30000);
  let env: TestEnv;
  let net: Network;
  let admin: LoggedIn;
  let manager: LoggedIn;
  let staff: LoggedIn;
  let viewer: LoggedIn;
  let zoe: number;
  before(async () => {
    env = await testEnv();
    net = await buildNetwork(env.db);
    const r = validatePerson({
      first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567', city: 'Köln', kind: 'both',
      notes: '=HYPERLINK("http://evil")\nzweite Zeile', tags: '@home, Mentor', job_title: '-Leitung', portfolio_url: 'https://zoe.example',
      skill_id: [String(net.skills.seo), String(net.skills.photo)], skill_level: ['3', '1'],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    zoe = await createPerson(env.db, SYSTEM_ACTOR, r.value);
    await env.db('engagements').insert({
      person_id: zoe, project_id: (await env.db('projects').where({ title: 'Which CRM?' }).first()).id, role: '+Beratung', start_date: '2024-02-01',
      end_date: '2024-03-15', hours: 12.5, paid: 1, rate: 45.5, rating: 5, handover: 'partly', outcome: 'Ein CRM;\nzwei Zeilen', created_at: 'x', updated_at: 'x',
    });
    admin = await login(env, 'a@example.org', 'admin');
    manager = await login(env, 'm@example.org', 'manager');
    staff = await login(env, 's@example.org', 'staff');
    viewer = await login(env, 'v@example.org', 'viewer');
  });
  after(async () => { await env.close(); });

  describe('list CSVs', () => {
    it('people: the search result, English headers, commas, formula guard, quoted line breaks; audited', async () => {
      const res = await fetch(viewer.agent, '/people.csv?q=Ødegård');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/);
      const rows = records(res.text, ',');
      expect(rows[0]).to.deep.equal(['ID', 'First name', 'Last name', 'E-mail', 'Phone', 'City', 'Postcode', 'Country', 'Languages', 'Kind', 'Availability',
        'Organisation', 'Job title', 'Website', 'Skills', 'Tags', 'Notes', 'Do not contact', 'Last confirmed', 'Created']);
      expect(rows).to.have.length(2);
      const z = Object.fromEntries(rows[0]!.map((h, i) => [h, rows[1]![i]]));
      expect(z).to.include({
        'First name': 'Zoë', Phone: "'+49 30 1234567", Kind: 'Volunteer and freelancer', Availability: 'Available', Skills: 'SEO (3/4); Photography (1/4)',
        Tags: "'@home; Mentor", Notes: `'=HYPERLINK("http://evil")\nzweite Zeile`, 'Job title': "'-Leitung", 'Do not contact': 'No',
      });
      expect(res.text).to.contain(`"'=HYPERLINK(""http://evil"")\nzweite Zeile"`);
      expect(await lastExportAudit(env)).to.deep.equal({ actor: 'v@example.org', entity: 'person', changes: { format: 'csv', filter: 'q=%C3%98deg%C3%A5rd', rows: 1 } });
    });

    it('German interface: semicolons, German headers and values, decimal commas; a chosen comma wins', async () => {
      const de = await fetch(viewer.agent, '/engagements.csv', 'de');
      const rows = records(de.text, ';');
      expect(rows[0]!.slice(0, 8)).to.deep.equal(['ID', 'E-Mail', 'Vorname', 'Nachname', 'Organisation', 'Projekt', 'Projektart', 'Rolle']);
      const z = rows.find((r) => r[2] === 'Zoë')!;
      expect(z.slice(6)).to.deep.equal(['Beratung', "'+Beratung", '2024-02-01', '2024-03-15', '12,5', 'Ja', '45,5', 'Ein CRM;\nzwei Zeilen', '', '5', 'Teilweise']);
      const comma = await fetch(viewer.agent, '/engagements.csv?delimiter=comma', 'de');
      const zc = records(comma.text, ',').find((r) => r[2] === 'Zoë')!;
      expect(zc[10]).to.equal('12.5');
      expect(rows).to.have.length(5);
    });

    it('organisations and projects, with the list filters; audited with the filter', async () => {
      const orgs = records((await fetch(viewer.agent, '/organisations.csv')).text, ',');
      expect(orgs[0]).to.deep.equal(['ID', 'Name', 'Kind', 'City', 'Website', 'Contact person', 'Contact e-mail', 'Notes', 'Projects', 'Helpers', 'Created']);
      expect(orgs.slice(1).map((r) => r[1])).to.deep.equal(['Kiezladen', 'Tafel Berlin']);
      expect(orgs[2]!.slice(8, 10)).to.deep.equal(['1', '2']);
      const tafel = records((await fetch(viewer.agent, '/organisations.csv?q=taf')).text, ',');
      expect(tafel.slice(1).map((r) => r[1])).to.deep.equal(['Tafel Berlin']);
      expect(await lastExportAudit(env)).to.deep.include({ entity: 'organisation', changes: { format: 'csv', filter: 'q=taf', rows: 1 } });

      const projects = records((await fetch(viewer.agent, '/projects.csv?kind=consulting')).text, ',');
      expect(projects[0]).to.deep.equal(['ID', 'Title', 'Organisation', 'Kind', 'Status', 'Start date', 'End date', 'Description', 'Needed skills', 'Team size', 'Created']);
      expect(projects.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[9]])).to.deep.equal([['Which CRM?', 'Kiezladen', 'Consulting', 'Done', '2']]);
      expect(await lastExportAudit(env)).to.deep.include({ entity: 'project', changes: { format: 'csv', filter: 'kind=consulting', rows: 1 } });

      const eng = records((await fetch(viewer.agent, `/engagements.csv?org=${net.orgs.tafel}`)).text, ',');
      expect(eng.slice(1).map((r) => r[3]).sort()).to.deep.equal(['Müller', 'Schmitz']);
      expect(await lastExportAudit(env)).to.deep.include({ entity: 'engagement', changes: { format: 'csv', filter: `org=${net.orgs.tafel}`, rows: 2 } });
    });

    it('every list export reads the same with comma, semicolon and tab all ticked (LibreOffice\'s default import)', async () => {
      let spilled = 0;
      for (const list of ['people', 'organisations', 'projects', 'engagements']) {
        for (const lang of ['en', 'de']) {
          for (const delimiter of ['comma', 'semicolon'] as const) {
            const res = await fetch(viewer.agent, `/${list}.csv?delimiter=${delimiter}`, lang);
            const strict = records(res.text, delimiter === 'comma' ? ',' : ';');
            const any = parseAnySeparator(res.text);
            expect(any, `${list} ${lang} ${delimiter}`).to.deep.equal(strict);
            spilled += any.filter((r) => r.length !== strict[0]!.length).length;
          }
        }
      }
      expect(spilled).to.equal(0);
      // the cells that spilled before: a language list with commas, a decimal comma, a quote
      const de = await fetch(viewer.agent, '/people.csv', 'de');
      expect(de.text).to.contain('"Deutsch, Englisch"'); // language codes as names in the file's language
      expect((await fetch(viewer.agent, '/engagements.csv', 'de')).text).to.contain(';"12,5";');
    });

    it('German exports name skills in German (where a German name is set); the import maps them back', async () => {
      const de = records((await fetch(viewer.agent, '/people.csv?q=Ødegård', 'de')).text, ';');
      const z = Object.fromEntries(de[0]!.map((h, i) => [h, de[1]![i]]));
      expect(z['Fähigkeiten']).to.equal('Suchmaschinenoptimierung (3/4); Fotografie (1/4)');
      const projects = records((await fetch(viewer.agent, '/projects.csv', 'de')).text, ';');
      expect(projects.flat().join('|')).to.not.contain('Photography').and.to.not.match(/\bSEO \(/);
      // the same person back in with update: the German names are the same skills, nothing changes
      const file = csvFile((await fetch(viewer.agent, '/people.csv?q=Ødegård', 'de')).body);
      const back = await importCsv(env.db, file, { policy: 'update', dryRun: true });
      expect(back).to.include({ rows: 1, unchanged: 1, created: 0, updated: 0, errors: 0 });
      expect(back.unknownSkills).to.deep.equal([]);
    });

    it('an empty result is a header-only file, not an error', async () => {
      for (const url of ['/people.csv?q=niemand', '/organisations.csv?q=niemand', '/projects.csv?status=cancelled', '/engagements.csv?status=cancelled']) {
        const res = await fetch(viewer.agent, url);
        expect(res.status, url).to.equal(200);
        expect(records(res.text, ','), url).to.have.length(1);
      }
      expect((await lastExportAudit(env)).changes.rows).to.equal(0);
    });

    it('column choice: the chosen columns in file order; unknown ones ignored; audited', async () => {
      const rows = records((await fetch(manager.agent, '/people.csv?q=Ødegård&col=email&col=last_name&col=nope')).text, ',');
      expect(rows).to.deep.equal([['Last name', 'E-mail'], ['Ødegård', 'zoe@example.org']]);
      expect((await lastExportAudit(env)).changes).to.deep.equal({ format: 'csv', filter: 'q=%C3%98deg%C3%A5rd', rows: 1, columns: ['last_name', 'email'] });
      const orgs = records((await fetch(manager.agent, '/organisations.csv?col=name')).text, ',');
      expect(orgs).to.deep.equal([['Name'], ['Kiezladen'], ['Tafel Berlin']]);
    });

    it('sends anonymous visitors to the login page', async () => {
      for (const url of ['/people.csv', '/organisations.csv', '/projects.csv', '/engagements.csv', '/exports/people', '/exports', '/exports/network.zip']) {
        expect((await request(env.app).get(url)).status, url).to.equal(302);
      }
    });
  });

  describe('the export form', () => {
    it('carries the filters, offers every column and the separator, and downloads by GET (no script needed)', async () => {
      const res = await viewer.agent.get('/exports/people?skill=SEO&city=Berlin&page=3').set('Accept-Language', 'de');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<form method="get" action="/exports/people/file"');
      expect(res.text).to.match(/id="format-csv" name="format" value="csv" checked>/);
      expect(res.text).to.contain('<input type="hidden" name="skill" value="SEO">');
      expect(res.text).to.contain('<input type="hidden" name="city" value="Berlin">');
      expect(res.text).to.not.contain('name="page"');
      expect(res.text).to.contain('Fähigkeit: SEO, Ort: Berlin'); // translated labels, not URL keys
      expect((res.text.match(/name="col" value="/g) ?? []).length).to.equal(20);
      expect(res.text).to.match(/id="col-notes" name="col" value="notes" checked>/);
      expect(res.text).to.match(/id="delimiter-semicolon" name="delimiter" value="semicolon" checked>/);
      const chosen = await viewer.agent.get('/exports/organisations?q=taf&col=name&delimiter=comma');
      expect(chosen.text).to.match(/value="name" checked>/);
      expect(chosen.text).to.match(/value="city">/);
      expect(chosen.text).to.match(/value="comma" checked>/);
      expect(chosen.text).to.contain('href="/organisations?q=taf"');
      for (const list of ['projects', 'engagements']) {
        const page = await viewer.agent.get(`/exports/${list}?kind=consulting`);
        expect(page.status).to.equal(200);
        expect(page.text).to.contain(`action="/exports/${list}/file"`);
        expect(page.text).to.contain('<input type="hidden" name="kind" value="consulting">');
      }
    });

    it('every list page links to its export', async () => {
      expect((await viewer.agent.get('/people?skill=SEO')).text).to.contain('href="/exports/people?skill=SEO"');
      expect((await viewer.agent.get('/organisations?q=taf')).text).to.contain('href="/exports/organisations?q=taf"');
      const projects = (await viewer.agent.get('/projects?kind=consulting')).text;
      expect(projects).to.contain('href="/exports/projects?kind=consulting"');
      expect(projects).to.contain('href="/exports/engagements?kind=consulting"');
      expect((await viewer.agent.get('/people')).text).to.not.contain('href="/exports"');
      // "Export everything" lives on the export page (admins), not on the list, where it read as "export this list"
      expect((await admin.agent.get('/people')).text).to.not.contain('href="/exports"');
      expect((await admin.agent.get('/exports/people')).text).to.contain('href="/exports"');
      expect((await viewer.agent.get('/exports/people')).text).to.not.contain('href="/exports"');
    });
  });

  describe('when an admin restricts exports to managers', () => {
    before(async () => { await setSetting(env.db, 'exports_restricted', '1'); });
    after(async () => { await setSetting(env.db, 'exports_restricted', '0'); });

    it('viewers and staff get 403 on every bulk export and its form; managers and admins do not', async () => {
      for (const url of ['/people.csv', '/organisations.csv', '/projects.csv', '/engagements.csv', '/exports/people', '/exports/organisations', '/exports/projects', '/exports/engagements']) {
        expect((await viewer.agent.get(url)).status, `viewer ${url}`).to.equal(403);
        expect((await staff.agent.get(url)).status, `staff ${url}`).to.equal(403);
        expect((await manager.agent.get(url)).status, `manager ${url}`).to.equal(200);
        expect((await admin.agent.get(url)).status, `admin ${url}`).to.equal(200);
      }
    });

    it('the list pages hide the export buttons from them', async () => {
      expect((await viewer.agent.get('/organisations')).text).to.not.contain('/exports/organisations');
      expect((await viewer.agent.get('/projects')).text).to.not.contain('/exports/engagements');
      expect((await manager.agent.get('/projects')).text).to.contain('/exports/engagements');
    });
  });

  describe('the whole network as a ZIP', () => {
    it('admins get the page and the ZIP; managers, staff and viewers get 403', async () => {
      expect((await admin.agent.get('/exports')).text).to.contain('action="/exports/network.zip"');
      for (const who of [manager, staff, viewer]) {
        expect((await who.agent.get('/exports')).status).to.equal(403);
        expect((await who.agent.get('/exports/network.zip')).status).to.equal(403);
      }
    });

    it('streams a valid ZIP of every network file; audited with the row counts', async () => {
      const res = await fetch(admin.agent, '/exports/network.zip');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/zip');
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="skillnet-\d{4}-\d{2}-\d{2}\.zip"$/);
      const entries = await readZip(res.body);
      expect(entries.map((e) => e.name)).to.deep.equal(NETWORK_TABLES.map((t) => t.file));
      const people = parse(entries.find((e) => e.name === 'people.csv')!.data.toString('utf8'), { bom: true }) as string[][];
      expect(people).to.have.length(1 + 8);
      expect(people[0]!.slice(0, 3)).to.deep.equal(['id', 'first_name', 'last_name']);
      const audit = await lastExportAudit(env);
      expect(audit).to.deep.include({ actor: 'a@example.org', entity: 'network' });
      expect(audit.changes).to.include({ format: 'zip', rows: entries.reduce((n, e) => n + e.data.toString('utf8').split('\r\n').length - 2, 0) });
      expect(audit.changes.files['people.csv']).to.equal(8);
    });
  });

  describe('round trip through the importer (German file)', () => {
    it('people and engagements exported in German come back with the same rows in a fresh Skillnet', async () => {
      const keep = (rows: string[][], drop: string[]) => {
        const idx = rows[0]!.map((h, i) => (drop.includes(h) ? -1 : i)).filter((i) => i >= 0);
        return rows.map((r) => idx.map((i) => r[i]));
      };
      const peopleUrl = '/people.csv?dnc=1&sort=name';
      const first = await fetch(manager.agent, peopleUrl, 'de');
      const fresh = await testEnv();
      try {
        const sum = await importCsv(fresh.db, csvFile(first.body, 'personen.csv'));
        expect(sum.errors, JSON.stringify(sum.issues)).to.equal(0);
        expect(sum.created).to.equal(8);
        const m2 = await login(fresh, 'm@example.org', 'manager');
        const second = await fetch(m2.agent, peopleUrl, 'de');
        const drop = ['ID', 'Angelegt am', 'Nicht kontaktieren', 'Zuletzt bestätigt'];
        expect(keep(records(second.text, ';'), drop)).to.deep.equal(keep(records(first.text, ';'), drop));

        const eng = await fetch(manager.agent, '/engagements.csv', 'de');
        const file = csvFile(eng.body, 'einsaetze.csv');
        const detection = await detectFile(file);
        const imported = await importEngagementsFile(fresh.db, {
          file, filename: path.basename(file), detection, mapping: guessEngagementMapping(detection.headers), policy: 'skip', dryRun: false, actor: TEST_ACTOR,
        });
        // people without an e-mail cannot be matched by an engagements import: those rows are reported, the rest load
        const withEmail = records(eng.text, ';').slice(1).filter((r) => r[1]);
        expect(imported.created).to.equal(withEmail.length);
        const again = await fetch(m2.agent, '/engagements.csv', 'de');
        const comparable = (rows: string[][]) => keep(rows, ['ID']).slice(1).filter((r) => r[0]).sort((a, b) => a.join().localeCompare(b.join()));
        expect(comparable(records(again.text, ';'))).to.deep.equal(comparable(records(eng.text, ';')));
      } finally {
        await fresh.close();
      }
    });
  });
});
