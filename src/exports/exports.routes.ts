// /people.csv: the /people search (same parameters) as a CSV download of every page. Audited.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../http/auth.js';
import { recordAudit } from '../audit/audit.queries.js';
import { filtersToParams, parsePeopleFilters } from '../search/search.domain.js';
import { peopleForCsv, writePeopleCsv } from './people-csv.js';

export function exportsRoutes({ db }: { db: Knex }) {
  const r = Router();

  r.get('/people.csv', authorize('exports.download'), async (req, res) => {
    const filters = parsePeopleFilters(req.query as Record<string, unknown>);
    const ids = await peopleForCsv(db, filters);
    const day = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="people-${day}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    const rows = await writePeopleCsv(db, ids, res, { locale: req.locale });
    await recordAudit(db, actorOf(req), {
      action: 'export', entityType: 'person', entityId: null,
      changes: { format: 'csv', filter: filtersToParams(filters, { page: null }), rows },
    });
  });

  return r;
}
