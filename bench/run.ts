// npm run bench [-- --quick | --people N | --json FILE | …]: builds a fresh demo network in a temporary folder and
// measures import, search, pages and export, each beside a bare baseline in the same run. Prints a table and,
// as the last line, one JSON object (issue 8). Progress goes to stderr.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNetwork, copyNetwork, type Network } from './data.js';
import { WORKBOOK_ROUNDS, exportFigure, workbookFigure, type ExportFigure, type WorkbookFigure } from './export.js';
import { duplicatesFigure, type DuplicatesFigure } from './duplicates.js';
import { importFigure, type ImportFigure } from './import.js';
import { duringImportFigure, type DuringImportFigure } from './during-import.js';
import { pagesFigure, type PagesFigure } from './pages.js';
import { QUESTIONS, searchFigure, type SearchFigure } from './search.js';
import { finderFigure, type FinderFigure } from './finder.js';
import { benchEnv } from './servers.js';
import { mailFigure, type MailFigure } from './mail.js';
import { apiFigure, type ApiFigure } from './api.js';
import { pickerFigure, type PickerFigure } from './picker.js';
import { log, parseBenchArgs, ratio, table } from './util.js';
import { createBenchDatabase, dropAllBenchDatabases } from './pg-databases.js';
import { instancesFigure, type InstancesFigure } from './instances.js';
import { memoryFigure, type MemoryFigure } from './memory.js';
import { loadFigure, type LoadFigure } from './load.js';
import { cliExportFigure, cliWorkbookFigure, type CliExportFigure, type CliWorkbookFigure } from './export-cli.js';
import { webImportFigure, type WebImportFigure } from './import-web.js';

const opts = parseBenchArgs(process.argv.slice(2));
const PAGE_QUERY = String(QUESTIONS[0]!.params.q);
const n = (x: number | null | undefined, unit = '') => (x === null || x === undefined ? null : `${x.toLocaleString('en')}${unit}`);

const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const loadAtStart = load();
const onPg = opts.db === 'postgres';
/** The targets that differ on PostgreSQL (issue 12). */
const TARGET = onPg ? { search: '≤ 1.5, ≤ 15 ms', pages: '≥ 0.5' } : { search: '≤ 1.5, ≤ 10 ms', pages: '≥ 0.8' };

function report(people: number, seedSeconds: number, imp: ImportFigure | null, search: SearchFigure | null, pages: PagesFigure | null, exp: ExportFigure | null, xlsx: WorkbookFigure | null, dup: DuplicatesFigure | null, during: DuringImportFigure | null, mail: MailFigure | null = null, picker: PickerFigure | null = null, api: ApiFigure | null = null, two: InstancesFigure | null = null) {
  const rows: (string | number | null)[][] = [['figure', 'app', 'bare', 'ratio', 'target', 'notes']];
  if (imp) {
    rows.push([`import ${imp.rows.toLocaleString('en')} rows`, n(imp.app_s, ' s'), n(imp.raw_s, ' s'), imp.ratio, '≤ 2',
      imp.app_s === null ? `import: ${imp.status}; bare = parse ${imp.raw_parse_s} s + insert ${imp.raw_insert_s} s + start-up` : `${n(imp.rows_per_s)} vs ${n(imp.raw_rows_per_s)} rows/s; peak RSS ${imp.peak_rss_mb} vs ${imp.raw_peak_rss_mb} MB; people ${imp.app_people} vs ${imp.raw_people}; bare = parse ${imp.raw_parse_s} s + insert ${imp.raw_insert_s} s + start-up${imp.status === 'ok' ? '' : `; ${imp.status}`}`]);
  }
  if (search) {
    for (const q of search.questions) {
      rows.push([`search ${q.name} p50/p95`, `${q.app_p50_ms} / ${q.app_p95_ms} ms`, `${q.raw_p50_ms} / ${q.raw_p95_ms} ms`, q.ratio, TARGET.search,
        `found ${q.app_total} vs ${q.raw_total}; app CPU ${q.app_cpu_ms} ms a search${q.app_facets ? `; app has facets, bare with facets p95 ${q.raw_facets_p95_ms} ms` : '; app returns no facets'}; asked again: answered from the app's last 32 results`]);
      rows.push([`search ${q.name} first ask p50/p95`, `${q.app_first_p50_ms} / ${q.app_first_p95_ms} ms`, `${q.raw_first_p50_ms} / ${q.raw_first_p95_ms} ms`, q.first_ratio, TARGET.search,
        'the app\'s results dropped before each call (index loaded): what a new question costs']);
    }
  }
  if (picker) {
    rows.push(['type-ahead /pickers/people p50/p95', `${picker.app_p50_ms} / ${picker.app_p95_ms} ms`, `— / ${picker.raw_p95_ms} ms`, picker.ratio, '≤ 20 ms at 1M',
      `what people type letter by letter (largest count ${picker.largest_total.toLocaleString('en')} people); app: any name word, counted up to 1,000 (then "more than 1,000"), from the search snapshot's name lists; bare: name_norm index prefix (first name only, no total)`]);
  }
  if (pages) {
    for (const p of pages.pages) {
      rows.push([`pages ${p.name}`, p.app_rps === null ? null : `${p.app_rps} req/s, p99 ${p.app_p99_ms} ms`,
        p.raw_rps === null ? null : `${p.raw_rps} req/s, p99 ${p.raw_p99_ms} ms`, p.ratio, TARGET.pages,
        `links on page ${p.app_rows} vs ${p.raw_rows}; server CPU per request ${p.app_cpu_us ?? '–'} vs ${p.raw_cpu_us ?? '–'} µs (${ratio(p.raw_cpu_us, p.app_cpu_us) ?? '–'})${p.note ? `; ${p.note}` : ''}`]);
    }
  }
  if (two) {
    for (const p of two.pages) {
      rows.push([`two instances ${p.name}`, p.two_rps === null ? null : `${p.two_rps} req/s`, p.one_rps === null ? null : `${p.one_rps} req/s (one)`, p.ratio, '≥ 1.6',
        `two \`skillnet serve\` on one database, the connections split between them, against one with all of them${p.note ? `; ${p.note}` : ''}`]);
    }
  }
  if (exp) {
    const a = exp.app;
    rows.push(['export /people.csv', exp.app_s === null ? null : `${exp.app_s} s (first byte ${a!.ttfb_s} s)`, `${exp.raw_s} s (first byte ${exp.raw.ttfb_s} s)`,
      exp.ratio, '≤ 1.5', exp.app_s === null ? `/people.csv: ${exp.status}; bare ${exp.raw.rows} rows, server peak RSS ${exp.raw.peak_rss_mb} MB`
        : `${a!.rows} vs ${exp.raw.rows} rows; server peak RSS ${exp.peak_rss_mb} vs ${exp.raw.peak_rss_mb} MB${exp.status === 'ok' ? '' : `; ${exp.status}`}`]);
  }
  if (during) {
    rows.push([`pages during an import of ${during.rows.toLocaleString('en')} rows`, during.page_p99_ms === null ? null : `/people p99 ${during.page_p99_ms} ms, /health p99 ${during.health_p99_ms} ms`,
      during.idle_page_p99_ms === null ? null : `/people p99 ${during.idle_page_p99_ms} ms before`, ratio(during.page_p99_ms, during.idle_page_p99_ms), '< 1000 ms p99',
      `${during.requests} requests, ${during.failures} failed; worst /people ${during.page_max_ms} ms; import ${during.import_s} s${during.status === 'ok' ? '' : `; ${during.status}`}`]);
    const w = during.writes;
    rows.push(['logins, form saves, exports during that import', `${w.logins} / ${w.saves} / ${w.exports} done`, null, null, '0 failed',
      `${w.login_failures} / ${w.save_failures} / ${w.export_failures} failed${w.first_errors.length ? `: ${w.first_errors.join('; ')}` : ''}`]);
  }
  if (xlsx) {
    rows.push(['export /people.xlsx', n(xlsx.app_s, ' s'), xlsx.csv_s === null ? null : `${xlsx.csv_s} s (app CSV, warmed; best of ${WORKBOOK_ROUNDS(people)})`, xlsx.ratio, '≤ 2 × CSV',
      xlsx.app_s === null ? `/people.xlsx: ${xlsx.status}` : `${xlsx.app!.bytes.toLocaleString('en')} bytes; server peak RSS ${xlsx.peak_rss_mb} MB (with its search index); the export itself +${xlsx.growth_mb} MB over ${xlsx.rss_before_mb} MB (CSV +${xlsx.csv_growth_mb} MB)`]);
  }
  if (dup) {
    rows.push([`duplicate scan ${dup.people.toLocaleString('en')} people`, n(dup.app_s, ' s'), `${dup.raw_s} s (GROUP BY name_norm)`, dup.ratio,
      '≤ 10 s at 100k, ≤ 120 s at 1M, < 1 GB', `peak RSS ${dup.peak_rss_mb} MB; planted ${dup.planted} duplicates, ${dup.lookalikes} look-alikes: precision ${dup.precision}, recall ${dup.recall} (targets ≥ 0.95, ≥ 0.9; ${dup.namesakes} pairs with indistinguishable namesakes counted neither way); ${dup.other_pairs} further pairs among the demo people${dup.status === 'ok' ? '' : `; ${dup.status}`}`]);
    rows.push(['duplicate check on the person form p95', `${dup.door_p95_ms} ms`, null, null, '≤ 20 ms at 1M', 'indexed look-ups by e-mail, alias, phone and name spellings']);
  }
  if (mail) {
    rows.push([`mail campaign to ${mail.recipients.toLocaleString('en')}`, `${mail.app_mails_per_s} mails/s`, `${mail.raw_mails_per_s} mails/s`, mail.ratio, '≤ 2; start < 1 s',
      `the request that starts it: ${mail.start_request_s} s; queue in the database, no rate limit, local SMTP sink; bare = nodemailer alone`]);
  }
  if (api) {
    rows.push([`API list ?skill=…&city=… p95`, n(api.list_p95_ms, ' ms'), api.html_p95_ms === null ? null : `${api.html_p95_ms} ms (HTML page /people)`, api.list_ratio, '≤ 1.2 × page',
      `the same search, logged in vs bearer token; bare = the app's own HTML page${api.status === 'ok' ? '' : `; ${api.status}`}`]);
    rows.push([`API cursor paging, pages of 500`, n(api.paging_s, ' s'), api.csv_s === null ? null : `${api.csv_s} s (/people.csv)`, api.paging_ratio, '≤ 2 × CSV',
      `${api.rows} people in ${api.pages} pages vs ${api.csv_rows} CSV rows`]);
  }
  const where = onPg ? `on PostgreSQL ${new URL(opts.databaseUrl!).host} (bare = pg on the same server)` : 'on SQLite';
  console.log(`\nSkillnet benchmark ${where}: ${people.toLocaleString('en')} people (${opts.network ? `a copy of ${opts.network}` : `demo network seeded in ${seedSeconds.toFixed(1)} s`}), ` +
    `node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 16)}Z; ` +
    `load average ${loadAtStart} at the start, ${load()} at the end`);
  console.log('ratios: time figures app ÷ bare (lower is better); pages app req/s ÷ bare req/s (higher is better)\n');
  console.log(table(rows));
  console.log('');
}

// Ctrl-C (or a TERM) on a --db postgres run: its databases on the shared server go too
if (onPg) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: dropping this run's databases`);
      dropAllBenchDatabases(opts.databaseUrl!).finally(() => process.exit(130));
    });
  }
}

/** The issue-19 figures, printed under the table (each one line; absent figures are not printed). */
function reportIssue19(memory: MemoryFigure | null, load: LoadFigure | null, cli: CliExportFigure | null, web: WebImportFigure | null): void {
  if (memory) {
    console.log(`search index in memory: ${memory.index_bytes_per_person ?? '–'} bytes per person (${memory.index_mb} MB for ${memory.people?.toLocaleString('en')} people, ` +
      `of which typed arrays ${memory.typed_array_mb} MB; V8 heap + array buffers after a full GC, measured; target ≤ 300 at 1,000,000)${memory.status === 'ok' ? '' : `; ${memory.status}`}`);
  }
  if (load) {
    const phase = (p: LoadFigure['alone']) => (p ? `${p.requests.toLocaleString('en')} requests, ${p.rps} req/s, p99 ${p.p99_ms} ms, ${p.errors} errors` +
      (p.errors ? ` (${p.non2xx} non-2xx, ${p.socket_errors} socket errors, ${p.timeouts} timeouts after 10 s)` : '') : '–');
    console.log(`${load.connections} connections, searches and person pages: ${load.seconds} s alone: ${phase(load.alone)} (target 0 errors, p99 ≤ 250 ms)`);
    console.log(`  the same during an import of ${load.import_rows.toLocaleString('en')} rows (${load.import_s} s): ${phase(load.during_import)} (target 0 errors, p99 ≤ 1000 ms)${load.status === 'ok' ? '' : `; ${load.status}`}`);
  }
  if (cli) {
    console.log(`skillnet export people --q nobody: ${cli.app_s ?? '–'} s vs bare FTS query + CSV ${cli.raw_s} s (medians of 7, alternating, both child processes of compiled JavaScript; the bare script through tsx ${cli.raw_tsx_s ?? '–'} s): ratio ${cli.ratio ?? '–'} (target ≤ 1.5)${cli.status === 'ok' ? '' : `; ${cli.status}`}`);
  }
  if (web) {
    console.log(`web import wizard, ${web.rows.toLocaleString('en')} rows: preview ${web.preview_s ?? '–'} s + commit ${web.commit_s ?? '–'} s vs CLI import ${web.cli_s} s: ratio ${web.ratio ?? '–'} ` +
      `(target each ≤ 1.5 × CLI); people written ${web.web_people} vs ${web.cli_people}${web.status === 'ok' ? '' : `; ${web.status}`}`);
  }
  if (memory || load || cli || web) console.log('');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-benchmark-'));
  const file = path.join(dir, 'network.sqlite');
  let imp: ImportFigure | null = null;
  let search: SearchFigure | null = null;
  let pages: PagesFigure | null = null;
  let exp: ExportFigure | null = null;
  let during: DuringImportFigure | null = null;
  let dup: DuplicatesFigure | null = null;
  let xlsx: WorkbookFigure | null = null;
  let mail: MailFigure | null = null;
  let api: ApiFigure | null = null;
  let finder: FinderFigure | null = null;
  let picker: PickerFigure | null = null;
  let two: InstancesFigure | null = null;
  // issue 19: index memory, many connections at once, the CLI export of nobody, the web import wizard
  let memory: MemoryFigure | null = null;
  let loadFig: LoadFigure | null = null;
  let cliExport: CliExportFigure | null = null;
  // issue 13: the workbook export's own memory, in a process of its own
  let cliXlsx: CliWorkbookFigure | null = null;
  let webImport: WebImportFigure | null = null;
  try {
    // --db postgres: the network lives in a database of this run on that server (dropped at the end)
    const target = onPg ? await createBenchDatabase(opts.databaseUrl!) : file;
    let net: Network;
    if (opts.network) {
      net = await copyNetwork(opts.network, file);
      opts.people = net.people;
      log(`measuring a copy of ${opts.network}: ${net.people} people, in ${dir}`);
    } else {
      log(`seeding ${opts.people} people in ${onPg ? target.replace(/\/\/[^@/]*@/, '//') : dir}`);
      net = await buildNetwork(target, opts.people, opts.seed);
      log(`seeded in ${net.seedSeconds.toFixed(1)} s`);
    }
    if (opts.only.includes('import')) imp = await importFigure(dir, target, benchEnv(), opts.databaseUrl);
    if (opts.only.includes('import') && !onPg) webImport = await webImportFigure(dir, file);
    if (opts.only.includes('search')) {
      search = await searchFigure(target, opts.runs);
      if (!onPg) picker = await pickerFigure(file, opts.runs);
      if (!onPg) memory = await memoryFigure(file);
    }
    if (opts.only.includes('pages')) {
      pages = await pagesFigure(target, net.personId, PAGE_QUERY, opts.connections, opts.duration);
      if (onPg) {
        two = await instancesFigure(target, [
          { name: `/people?q=${PAGE_QUERY}`, path: `/people?q=${encodeURIComponent(PAGE_QUERY)}` },
          { name: "a person's page", path: `/people/${net.personId}` },
        ], opts.connections, opts.duration);
      }
    }
    if (opts.only.includes('export')) {
      exp = await exportFigure(target);
      if (!onPg) xlsx = await workbookFigure(file, WORKBOOK_ROUNDS(opts.people));
      if (!onPg) cliExport = await cliExportFigure(dir, file);
      if (!onPg) cliXlsx = await cliWorkbookFigure(dir, file);
    }
    if (opts.only.includes('duplicates')) dup = await duplicatesFigure(dir, file, benchEnv());
    if (opts.only.includes('mail')) mail = await mailFigure(Math.min(opts.people, opts.people >= 100_000 ? 10_000 : 2_000));
    if (opts.only.includes('api')) api = await apiFigure(file, opts.runs);
    // last: it needs a copy of the network and as many new people as it holds
    if (opts.only.includes('import') && !onPg) during = await duringImportFigure(dir, file, opts.people);
    if (opts.only.includes('load') && !onPg) loadFig = await loadFigure(dir, file, opts.people, opts.loadSeconds, Math.min(50_000, Math.ceil(opts.people / 2)));
    // the search box and a bulk tag (it writes: after every other figure)
    if (opts.only.includes('search') && !onPg) finder = await finderFigure(file, opts.runs);
    if (finder) {
      console.log(`interpreted search (q=WordPress SEO Berlin) p50/p95: ${finder.interpreted_p50_ms} / ${finder.interpreted_p95_ms} ms; as filters ${finder.filters_p50_ms} / ${finder.filters_p95_ms} ms; ratio ${finder.ratio} (target ≤ 1.5, ≤ 10 ms); same result: ${finder.same_result}`);
      console.log(`bulk tag on ${finder.bulk_tag_people} people: ${finder.bulk_tag_s} s in one transaction (target ≤ 5 s for 50,000); undo ${finder.bulk_undo_s} s`);
    }
    report(opts.people, net.seedSeconds, imp, search, pages, exp, xlsx, dup, during, mail, picker, api, two);
    reportIssue19(memory, loadFig, cliExport, webImport);
    if (cliXlsx) {
      const c = cliXlsx;
      console.log(`skillnet export people --format xlsx (everyone, a process of its own, no search index): ${c.rows?.toLocaleString('en') ?? '–'} rows, `
        + `${c.bytes?.toLocaleString('en') ?? '–'} bytes in ${c.s ?? '–'} s; peak RSS ${c.peak_rss_mb ?? '–'} MB (the same export of no one ${c.base_rss_mb ?? '–'} MB: `
        + `${c.bytes_per_row ?? '–'} bytes per row above it). Target: export_xlsx.peak_rss_mb of a run at 1,000,000 ≤ 1.3 × that of a run at 100,000`
        + `${c.status === 'ok' ? '' : `; ${c.status}`}\n`);
    }
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    // never kept: a run's databases on a shared server would pile up
    if (onPg) await dropAllBenchDatabases(opts.databaseUrl!);
  }
  const json = {
    people: opts.people,
    import: { app_s: imp?.app_s ?? null, raw_s: imp?.raw_s ?? null, ratio: imp?.ratio ?? null, peak_rss_mb: imp?.peak_rss_mb ?? null, web_ratio: webImport?.ratio ?? null },
    search: {
      app_p95_ms: search?.app_p95_ms ?? null, raw_p95_ms: search?.raw_p95_ms ?? null, ratio: search?.ratio ?? null,
      first_ask_p95_ms: search?.first_ask_p95_ms ?? null, first_ask_ratio: search?.first_ask_ratio ?? null,
    },
    pages: {
      app_rps: pages?.app_rps ?? null, raw_rps: pages?.raw_rps ?? null, ratio: pages?.ratio ?? null, app_p99_ms: pages?.app_p99_ms ?? null,
      person_ratio: pages?.person_ratio ?? null, search_ratio: pages?.search_ratio ?? null, empty_ratio: pages?.empty_ratio ?? null,
      // PostgreSQL only: two instances on one database ÷ one (the worse of the two pages)
      ...(onPg ? { two_instances_ratio: two?.ratio ?? null } : {}),
    },
    export: { app_s: exp?.app_s ?? null, raw_s: exp?.raw_s ?? null, ratio: exp?.ratio ?? null, peak_rss_mb: exp?.peak_rss_mb ?? null, cli_empty_ratio: cliExport?.ratio ?? null },
    export_xlsx: {
      app_s: xlsx?.app_s ?? null, csv_s: xlsx?.csv_s ?? null, ratio: xlsx?.ratio ?? null,
      // issue 13's memory figure: the CLI's workbook export of everyone, a process of its own (compare two runs)
      peak_rss_mb: cliXlsx?.peak_rss_mb ?? null, cli_s: cliXlsx?.s ?? null, cli_rows: cliXlsx?.rows ?? null,
      base_rss_mb: cliXlsx?.base_rss_mb ?? null, bytes_per_row: cliXlsx?.bytes_per_row ?? null,
      // the server's: its peak includes the search index it holds (grows with the network by design)
      server_peak_rss_mb: xlsx?.peak_rss_mb ?? null, rss_before_mb: xlsx?.rss_before_mb ?? null, growth_mb: xlsx?.growth_mb ?? null,
      csv_growth_mb: xlsx?.csv_growth_mb ?? null,
    },
    duplicates: {
      app_s: dup?.app_s ?? null, raw_s: dup?.raw_s ?? null, ratio: dup?.ratio ?? null, peak_rss_mb: dup?.peak_rss_mb ?? null,
      door_p95_ms: dup?.door_p95_ms ?? null, precision: dup?.precision ?? null, recall: dup?.recall ?? null, namesakes: dup?.namesakes ?? null,
    },
    interpreted_search: {
      app_p95_ms: finder?.interpreted_p95_ms ?? null, filters_p95_ms: finder?.filters_p95_ms ?? null, ratio: finder?.ratio ?? null,
    },
    bulk_tag: { people: finder?.bulk_tag_people ?? null, s: finder?.bulk_tag_s ?? null, undo_s: finder?.bulk_undo_s ?? null },
    typeahead: { app_p50_ms: picker?.app_p50_ms ?? null, app_p95_ms: picker?.app_p95_ms ?? null, raw_p95_ms: picker?.raw_p95_ms ?? null, ratio: picker?.ratio ?? null },
    mail: { start_request_s: mail?.start_request_s ?? null, app_mails_per_s: mail?.app_mails_per_s ?? null, raw_mails_per_s: mail?.raw_mails_per_s ?? null, ratio: mail?.ratio ?? null },
    api: {
      list_p95_ms: api?.list_p95_ms ?? null, html_p95_ms: api?.html_p95_ms ?? null, list_ratio: api?.list_ratio ?? null,
      paging_s: api?.paging_s ?? null, csv_s: api?.csv_s ?? null, paging_ratio: api?.paging_ratio ?? null,
    },
    memory: { index_bytes_per_person: memory?.index_bytes_per_person ?? null },
    load: {
      p99_ms: loadFig?.alone?.p99_ms ?? null, errors: loadFig?.alone?.errors ?? null,
      import_p99_ms: loadFig?.during_import?.p99_ms ?? null, import_errors: loadFig?.during_import?.errors ?? null,
    },
  };
  const line = JSON.stringify(json);
  if (opts.json) writeFileSync(opts.json, line + '\n');
  console.log(line);
}

main().catch((err) => {
  console.error(`bench: ${(err as Error)?.stack ?? err}`);
  process.exit(1);
});
