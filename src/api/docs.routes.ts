// /api/docs: the API reference, rendered on the server from the OpenAPI document with the site's own layout and
// styles (no CDN, no script). Any signed-in user may read it.
import { Router } from 'express';
import { PROBLEM_KINDS, PROBLEM_STATUS } from './problems.domain.js';
import { docsModel } from './openapi.domain.js';

export function apiDocsRoutes() {
  const r = Router();
  const model = docsModel();
  r.get('/api/docs', (req, res) => {
    res.render('api/docs', {
      styles: ['/api.css'], title: req.t('apidocs.title'), ...model, rate: (req.app.locals.config as { apiRatePerMinute: number }).apiRatePerMinute,
      problems: PROBLEM_KINDS.map((kind) => ({ kind, status: PROBLEM_STATUS[kind] })),
    });
  });
  return r;
}
