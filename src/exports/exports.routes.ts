// List exports as CSV or Excel workbooks (/people.csv, /people.xlsx with the search's parameters, likewise
// /organisations, /projects, /engagements), the column-choice form of each (/exports/<list>, sending to
// /exports/<list>/file with the chosen file type), and the whole network as a ZIP (/exports, /exports/network.zip).
// Every download is audited: who, what filter, how many rows, which format.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { recordAudit } from '../audit/audit.queries.js';
import { delimiterName, parseDelimiter } from './csv.domain.js';
import { isReceiverGone } from './csv.writer.js';
import { notFound } from '../http/errors.js';
import { peopleByIds, personExists } from './exports.queries.js';
import { LISTS, chooseColumns, columnHeader, columnKeys, type ListName } from './columns.domain.js';
import { LIST_PAGE, describeFilter, filterOf, prepareExport, recordExport, writeExport, type FileType } from './lists.service.js';
import { exportNetworkToZip, type NetworkExportResult } from './network-export.service.js';
import { NETWORK_TABLES } from './network.domain.js';

const today = () => new Date().toISOString().slice(0, 10);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const VCARD_TYPE = 'text/vcard; charset=utf-8';
const ODS_TYPE = 'application/vnd.oasis.opendocument.spreadsheet';

function download(res: Response, type: string, filename: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

export function exportsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const lists = authorize('exports.download');
  const full = authorize('exports.full');

  const file = (list: ListName, fixed?: FileType) => async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const fileType: FileType = fixed ?? (query.format === 'xlsx' || query.format === 'ods' ? query.format : query.format === 'vcf' && list === 'people' ? 'vcf' : 'csv');
    const e = await prepareExport(db, list, query, req.locale);
    const columns = chooseColumns(list, query.col);
    if (fileType === 'xlsx') download(res, XLSX_TYPE, `${list}-${today()}.xlsx`);
    else if (fileType === 'ods') download(res, ODS_TYPE, `${list}-${today()}.ods`);
    else if (fileType === 'vcf') download(res, VCARD_TYPE, `${list}-${today()}.vcf`);
    else download(res, 'text/csv; charset=utf-8', `${list}-${today()}.csv`);
    const format = { delimiter: parseDelimiter(query.delimiter, req.locale), bom: true };
    const chosen = columns.length < columnKeys(list).length ? { columns } : {};
    try {
      // the audit row is written before the download ends: whoever sees the whole file can see its audit entry
      const result = await writeExport(db, e, res, { locale: req.locale, format, columns, fileType, end: false });
      await recordExport(db, actorOf(req), e, result, chosen, fileType);
      if (result.complete) res.end();
    } catch (err) {
      // the rows read so far may have left: the audit says so either way
      await recordExport(db, actorOf(req), e, { rows: 0, complete: false }, { ...chosen, failed: true }, fileType);
      throw err;
    }
  };

  r.get('/people.vcf', lists, file('people', 'vcf'));
  // one person's card
  r.get('/people/:id/card.vcf', lists, async (req, res) => {
    const id = Number(req.params.id);
    if (!/^[1-9]\d{0,9}$/.test(String(req.params.id)) || !(await personExists(db, id))) throw notFound();
    const e = { list: 'people' as const, filter: `id=${id}`, rows: (conn: import('better-sqlite3').Database) => peopleByIds(db, conn, [id]) };
    download(res, VCARD_TYPE, `person-${id}.vcf`);
    const result = await writeExport(db, e, res, { locale: req.locale, format: { delimiter: ',', bom: false }, columns: [], fileType: 'vcf' });
    await recordExport(db, actorOf(req), e, result, {}, 'vcf');
  });

  for (const list of LISTS) {
    r.get(`/${list}.csv`, lists, file(list, 'csv'));
    r.get(`/${list}.xlsx`, lists, file(list, 'xlsx'));
    r.get(`/${list}.ods`, lists, file(list, 'ods'));
    // the export form's target: the file type chosen on the form
    r.get(`/exports/${list}/file`, lists, file(list));
    r.get(`/exports/${list}`, lists, (req, res) => {
      const query = req.query as Record<string, unknown>;
      const filter = filterOf(list, query);
      const chosen = query.col === undefined ? columnKeys(list) : chooseColumns(list, query.col);
      res.render('exports/form', {
        title: req.t(`exports.title.${list}`),
        list,
        filterText: describeFilter(filter, req.t),
        hidden: [...new URLSearchParams(filter)],
        columns: columnKeys(list).map((key) => ({ key, header: columnHeader(req.t, key), checked: chosen.includes(key) })),
        delimiter: delimiterName(parseDelimiter(query.delimiter, req.locale)),
        fileType: query.format === 'xlsx' || query.format === 'ods' || (query.format === 'vcf' && list === 'people') ? query.format : 'csv',
        back: filter ? `${LIST_PAGE[list]}?${filter}` : LIST_PAGE[list],
      });
    });
  }

  r.get('/exports', full, (req, res) => {
    res.render('exports/index', { title: req.t('exports.full.title'), files: NETWORK_TABLES.map((t) => t.file) });
  });

  r.get('/exports/network.zip', full, async (req, res) => {
    download(res, 'application/zip', `skillnet-${today()}.zip`);
    let result: NetworkExportResult | null = null;
    let failure: unknown = null;
    try {
      result = await exportNetworkToZip(db, res);
    } catch (err) {
      if (!isReceiverGone(err)) failure = err;
    }
    // audited before the download ends (see the list CSVs)
    await recordAudit(db, actorOf(req), {
      action: 'export', entityType: 'network', entityId: null,
      changes: {
        format: 'zip', files: result?.files ?? null, rows: result?.rows ?? null,
        ...(result?.complete ? {} : { incomplete: true }), ...(failure ? { failed: true } : {}),
      },
    });
    if (failure) throw failure;
    if (result?.complete) res.end();
  });

  return r;
}
