// List exports as CSV (/people.csv with the search's parameters, /organisations.csv, /projects.csv,
// /engagements.csv), the column-choice form of each (/exports/<list>), and the whole network as a ZIP
// (/exports, /exports/network.zip). Every download is audited: who, what filter, how many rows.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../http/auth.js';
import { recordAudit } from '../audit/audit.queries.js';
import { delimiterName, parseDelimiter } from './csv.format.js';
import { isReceiverGone } from './csv.writer.js';
import { LISTS, chooseColumns, columnHeader, columnKeys, type ListName } from './exports.columns.js';
import { LIST_PAGE, describeFilter, filterOf, prepareExport, recordExport, writeExport } from './exports.lists.js';
import { exportNetworkToZip, type NetworkExportResult } from './network.export.js';
import { NETWORK_TABLES } from './network.domain.js';

const today = () => new Date().toISOString().slice(0, 10);

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

  const csv = (list: ListName) => async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const e = await prepareExport(db, list, query);
    const columns = chooseColumns(list, query.col);
    download(res, 'text/csv; charset=utf-8', `${list}-${today()}.csv`);
    const format = { delimiter: parseDelimiter(query.delimiter, req.locale), bom: true };
    const chosen = columns.length < columnKeys(list).length ? { columns } : {};
    try {
      // the audit row is written before the download ends: whoever sees the whole file can see its audit entry
      const result = await writeExport(db, e, res, { t: req.t, format, columns, end: false });
      await recordExport(db, actorOf(req), e, result, chosen);
      if (result.complete) res.end();
    } catch (err) {
      // the rows read so far may have left: the audit says so either way
      await recordExport(db, actorOf(req), e, { rows: 0, complete: false }, { ...chosen, failed: true });
      throw err;
    }
  };

  for (const list of LISTS) {
    r.get(`/${list}.csv`, lists, csv(list));
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
