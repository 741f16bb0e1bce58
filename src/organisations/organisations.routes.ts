// /organisations (placeholder until its issue lands).
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../http/auth.js';

export function organisationsRoutes({ db }: { db: Knex }) {
  const r = Router();
  void db;
  r.get('/organisations', authorize('directory.read'), (req, res) => {
    res.render('placeholder', { title: req.t('nav.organisations') });
  });
  return r;
}
