// /imports (placeholder until its issue lands).
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../http/auth.js';

export function importsRoutes({ db }: { db: Knex }) {
  const r = Router();
  void db;
  r.get('/imports', authorize('directory.read'), (req, res) => {
    res.render('placeholder', { title: req.t('nav.imports') });
  });
  return r;
}
