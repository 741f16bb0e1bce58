// /projects (placeholder until its issue lands).
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../http/auth.js';

export function projectsRoutes({ db }: { db: Knex }) {
  const r = Router();
  void db;
  r.get('/projects', authorize('directory.read'), (req, res) => {
    res.render('placeholder', { title: req.t('nav.projects') });
  });
  return r;
}
