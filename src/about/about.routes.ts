// /about: what Skillnet is, its licence notes and data sources (public: no personal data).
import { Router } from 'express';

export function aboutRoutes() {
  const r = Router();
  r.get('/about', (req, res) => {
    res.render('about/index', { title: req.t('about.title') });
  });
  return r;
}
