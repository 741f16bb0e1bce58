// /insights: skills coverage as a server-rendered SVG chart with an accessible table beside it, gaps first.
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../users/auth.service.js';
import { COVERAGE_WINDOWS, coverageChart, shiftMonths, skillCoverage } from './insights.domain.js';
import { skillDemandAndSupply } from './insights.queries.js';

/** The chart shows the biggest gaps; the table lists every skill in demand. */
const CHART_ROWS = 20;

export function insightsRoutes({ db }: { db: Knex }) {
  const r = Router();

  r.get('/insights', authorize('directory.read'), async (req, res) => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = skillCoverage(await skillDemandAndSupply(db, today));
    const label = (s: { name: string; name_de: string | null }) => (req.locale === 'de' && s.name_de ? s.name_de : s.name);
    const chart = coverageChart(rows.slice(0, CHART_ROWS).map((c) => ({ label: label(c), demand: c.demand, supply: c.supply, gap: c.gap })));
    res.render('insights/index', {
      title: req.t('insights.title'), rows, chart, label, gaps: rows.filter((c) => c.gap).length,
      demandSince: shiftMonths(today, -COVERAGE_WINDOWS.demandMonths), supplySince: shiftMonths(today, -COVERAGE_WINDOWS.supplyMonths),
      windows: COVERAGE_WINDOWS,
    });
  });

  return r;
}
