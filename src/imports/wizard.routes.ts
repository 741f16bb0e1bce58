// The import wizard: upload → detect and map → options → preview → commit → result. Every step is a page
// that works without JavaScript; long steps run in the background behind a progress page.
import { mkdirSync, renameSync } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { csrfTokenValid } from '../http/csrf.js';
import { HttpError, notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { listSkillOptions, skillEntryCandidates } from '../skills/skills.queries.js';
import { readSkillChoices, skillChoiceRows, type SkillChoiceForm } from './skill-choices.domain.js';
import { detectFile, type Detection } from './csv.reader.js';
import { isVcardFile, isWorkbook, prepareImportFile } from './workbook.service.js';
import { ImportRefused, headerSignature } from './decode.domain.js';
import { MAPPING_NAME_MAX, TARGETS, guessMapping, guessMappingDetailed, isTarget, type Target } from './mapping.domain.js';
import { ENGAGEMENT_TARGETS, guessEngagementMapping, type EngagementTarget } from './engagements.domain.js';
import { jobProgress, progressText } from './progress.domain.js';
import { POLICIES, type Policy } from './rows.domain.js';
import { mappingsForSignature, saveMapping } from './imports.queries.js';
import type { JobRow } from './imports.jobs.queries.js';
import {
  INCOMING_DIR, adoptUpload, isImportKind, jobOf, loadDraft, problemsPath, removeQuietly, saveDraft, startJob, sweepDrafts, uploadPath, workbookPath,
  type Draft, type ImportKind,
} from './drafts.service.js';

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

const isActive = (job: JobRow | undefined) => job?.status === 'running' || job?.status === 'waiting';

// One wizard for both kinds of import: what differs is the columns a file may map to, how they are guessed,
// which ones a mapping needs, and the words of a few titles and counts.
const kindOf = (d: Draft): ImportKind => d.kind ?? 'people';
const targetsOf = (kind: ImportKind): readonly string[] => (kind === 'engagements' ? ENGAGEMENT_TARGETS : TARGETS);
const savedMappings = (db: Knex, draft: Draft) => mappingsForSignature(db, draft.signature, (t) => targetsOf(kindOf(draft)).includes(String(t)));
const guessOf = (kind: ImportKind, d: Draft['detection']): Target[] | EngagementTarget[] =>
  kind === 'engagements' ? guessEngagementMapping(d.headers) : guessMapping(d.headers, d.sample);
/** A history file's saved mappings are not offered for a people import of the same header, and the other way round. */
const signatureOf = (kind: ImportKind, headers: string[]) => headerSignature(kind === 'engagements' ? ['\u0000engagements', ...headers] : headers);
const mappingComplete = (kind: ImportKind, m: readonly string[]) => (kind === 'engagements'
  ? ['email', 'organisation', 'project'].every((t) => m.includes(t))
  : m.some((t) => t === 'email' || t === 'first_name' || t === 'last_name' || t === 'full_name'));
/** Message keys a history import words its own way (imports.engagements.…); views call it `ek`. */
const ENGAGEMENT_WORDING = new Set([
  'imports.uploadTitle', 'imports.mapTitle', 'imports.optionsTitle', 'imports.previewTitle', 'imports.policyLegend', 'imports.count.created',
  'imports.count.updated', 'imports.count.unchanged', 'imports.badField.drop',
]);
const wordingOf = (kind: ImportKind) => (key: string) => {
  if (kind !== 'engagements') return key;
  if (key.startsWith('imports.target.')) return `imports.engagements.target.${key.slice('imports.target.'.length)}`;
  return ENGAGEMENT_WORDING.has(key) ? `imports.engagements.${key.slice('imports.'.length)}` : key;
};

export function wizardRoutes({ db }: { db: Knex }) {
  const r = Router();
  const run = authorize('imports.run');

  const draftOf = (req: Request): Draft => {
    const d = loadDraft(String(req.params.key), req.user!.id);
    if (!d) throw new HttpError(404, 'imports.expired');
    return d;
  };
  // The preview with its unknown-skill step (people only): the choices saved in the draft, or those of the form just sent.
  const previewPage = async (req: Request, res: Response, draft: Draft, form: SkillChoiceForm | null, status = 200) => {
    if (kindOf(draft) !== 'people') return page(req, res, 'preview', 'imports.previewTitle', draft, { summary: draft.preview, skillRows: [], errors: {} }, status);
    const skillRows = skillChoiceRows(draft.preview!.unknownSkills, draft.skillChoices, form?.shown ?? {}, await skillEntryCandidates(db), req.locale);
    const errors: Record<string, string> = {};
    for (const key of form?.missing ?? []) errors[`skill_map_${skillRows.findIndex((r) => r.key === key)}`] = 'imports.skillMapMissing';
    page(req, res, 'preview', 'imports.previewTitle', draft, { summary: draft.preview, skillRows, errors }, status);
  };
  const uploadForm = (req: Request, res: Response, status: number, errorKey: string | null, vars: Record<string, string | number> = {}, kind: ImportKind = 'people') => {
    const limit = formatBytes(req.app.locals.config.uploadLimitBytes);
    const ek = wordingOf(kind);
    res.status(status).render('imports/upload', { title: req.t(ek('imports.uploadTitle')), limit, errorKey, errorVars: vars, kind, ek });
  };
  /** The wizard pages of a draft: its kind's wording (`ek`) and the draft itself. */
  const page = (req: Request, res: Response, view: string, titleKey: string, draft: Draft, vars: Record<string, unknown> = {}, status = 200) => {
    const ek = wordingOf(kindOf(draft));
    res.status(status).render(`imports/${view}`, { title: req.t(ek(titleKey)), draft, kind: kindOf(draft), ek, ...vars });
  };

  r.get('/imports/new', run, (req, res) => uploadForm(req, res, 200, null, {}, isImportKind(req.query.kind) ? req.query.kind : 'people'));

  r.post('/imports/new', run, async (req, res) => {
    mkdirSync(INCOMING_DIR, { recursive: true, mode: 0o700 });
    const upload = multer({ dest: INCOMING_DIR, limits: { fileSize: req.app.locals.config.uploadLimitBytes, files: 1, fields: 5, parts: 8 } }).single('file');
    try {
      await new Promise<void>((resolve, reject) => upload(req, res, (err: unknown) => (err ? reject(err) : resolve())));
    } catch (err) {
      removeQuietly(req.file?.path);
      // the form sends its kind before the file, so the page comes back for the import that was chosen
      const chosen = isImportKind(bodyOf(req).kind) ? (bodyOf(req).kind as ImportKind) : 'people';
      if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') return uploadForm(req, res, 413, 'imports.tooLarge', { limit: formatBytes(req.app.locals.config.uploadLimitBytes) }, chosen);
      throw new HttpError(400);
    }
    // this route is app.ts's multipart exemption: the global CSRF check skipped it, so check here
    if (!csrfTokenValid(req)) {
      removeQuietly(req.file?.path);
      throw new HttpError(403, 'errors.csrf');
    }
    const kind: ImportKind = isImportKind(bodyOf(req).kind) ? (bodyOf(req).kind as ImportKind) : 'people';
    if (!req.file) return uploadForm(req, res, 422, 'imports.noFile', {}, kind);
    sweepDrafts();
    const key = adoptUpload(req.file.path);
    try {
      let detection: Detection;
      let workbook: Draft['workbook'] = null;
      if (await isWorkbook(uploadPath(key)) || await isVcardFile(uploadPath(key))) {
        renameSync(uploadPath(key), workbookPath(key));
        ({ detection, workbook } = await prepareImportFile(workbookPath(key), uploadPath(key)));
      } else detection = await detectFile(uploadPath(key));
      const filename = (req.file.originalname || 'upload.csv').replace(/[\\/]/g, '_').slice(0, 200);
      saveDraft({
        key, userId: req.user!.id, kind, filename, detection, signature: signatureOf(kind, detection.headers), mapping: guessOf(kind, detection),
        policy: 'skip', newSkills: true, skillChoices: {}, workbook, preview: null, result: null, createdAt: new Date().toISOString(),
      });
      res.redirect(303, `/imports/drafts/${key}/map`);
    } catch (err) {
      removeQuietly(uploadPath(key));
      removeQuietly(workbookPath(key));
      if (err instanceof ImportRefused) return uploadForm(req, res, 422, err.key, err.vars, kind);
      throw err;
    }
  });

  r.get('/imports/drafts/:key/map', run, async (req, res) => {
    const draft = draftOf(req);
    const saved = await savedMappings(db, draft);
    const use = saved.find((m) => String(m.id) === String(req.query.use ?? ''));
    const mapping = use && use.targets.length === draft.detection.headers.length ? use.targets : draft.mapping;
    // the notes on ties and ruled-out columns are the people guess's
    const { ties, ruledOut } = kindOf(draft) === 'people' ? guessMappingDetailed(draft.detection.headers, draft.detection.sample) : { ties: [], ruledOut: [] };
    page(req, res, 'map', 'imports.mapTitle', draft, { mapping, saved, targets: targetsOf(kindOf(draft)), errorKey: null, ties, ruledOut });
  });

  // Another sheet of an uploaded workbook: read it instead (its own header, mapping guessed afresh).
  r.post('/imports/drafts/:key/sheet', run, async (req, res) => {
    const draft = draftOf(req);
    if (!draft.workbook) throw notFound();
    const wanted = String(bodyOf(req).sheet ?? '');
    const sheet = draft.workbook.sheets.find((s) => s.name === wanted);
    if (!sheet) throw new HttpError(400);
    const next = `${uploadPath(draft.key)}.next`;
    try {
      const p = await prepareImportFile(workbookPath(draft.key), next, sheet.name);
      renameSync(next, uploadPath(draft.key));
      Object.assign(draft, {
        detection: p.detection, workbook: p.workbook, signature: signatureOf(kindOf(draft), p.detection.headers),
        mapping: guessOf(kindOf(draft), p.detection), preview: null,
      });
      saveDraft(draft);
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err;
      flash(req, 'error', err.key, err.vars);
    }
    res.redirect(303, `/imports/drafts/${draft.key}/map`);
  });

  r.post('/imports/drafts/:key/map', run, async (req, res) => {
    const draft = draftOf(req);
    const body = bodyOf(req);
    const kind = kindOf(draft);
    const allowed = targetsOf(kind);
    const mapping = draft.detection.headers.map((_, i): string => {
      const v = body[`target_${i}`];
      return (kind === 'people' ? isTarget(v) : allowed.includes(String(v))) ? String(v) : 'ignore';
    });
    if (!mappingComplete(kind, mapping)) {
      const saved = await savedMappings(db, draft);
      const errorKey = kind === 'engagements' ? 'imports.engagements.needColumns' : 'imports.needPersonColumn';
      return page(req, res, 'map', 'imports.mapTitle', draft, { mapping, saved, targets: allowed, errorKey, ties: [], ruledOut: [] }, 422);
    }
    draft.mapping = mapping as Target[] | EngagementTarget[];
    draft.preview = null;
    saveDraft(draft);
    const name = String(body.mapping_name ?? '').trim().slice(0, MAPPING_NAME_MAX);
    if (name) {
      await saveMapping(db, { name, signature: draft.signature, targets: mapping as Target[], userId: req.user!.id });
      flash(req, 'success', 'imports.mappingSaved', { name });
    }
    res.redirect(303, `/imports/drafts/${draft.key}/options`);
  });

  r.get('/imports/drafts/:key/options', run, (req, res) => {
    const draft = draftOf(req);
    page(req, res, 'options', 'imports.optionsTitle', draft, { policies: POLICIES });
  });

  // Saves the options (and per-skill choices from the preview page) and starts a dry run.
  r.post('/imports/drafts/:key/preview', run, async (req, res) => {
    const draft = draftOf(req);
    if (isActive(await jobOf(db, draft.key))) return res.redirect(303, `/imports/drafts/${draft.key}/progress`);
    const body = bodyOf(req);
    if ((POLICIES as readonly string[]).includes(String(body.policy))) draft.policy = body.policy as Policy;
    if (body.new_skills === 'yes' || body.new_skills === 'no') draft.newSkills = body.new_skills === 'yes';
    // the options form always sends `lossy`; the skill choices form on the preview page keeps what was chosen
    if (body.lossy === 'keep' || body.lossy === 'overwrite') draft.overwriteLossy = body.lossy === 'overwrite';
    if (body.bad_field === 'fail' || body.bad_field === 'drop') draft.dropBadField = body.bad_field === 'drop';
    // the unknown-skill step: a Find (no JavaScript) or "existing skill" without one chosen shows the page again
    const form = readSkillChoices(body, new Set((await listSkillOptions(db)).map((s) => s.id)));
    if (draft.preview && (form.find || form.missing.length)) return previewPage(req, res, draft, form, form.find ? 200 : 422);
    Object.assign(draft.skillChoices, form.choices);
    draft.preview = null;
    saveDraft(draft);
    await startJob(db, draft, 'preview', actorOf(req), req.t, req.locale);
    res.redirect(303, `/imports/drafts/${draft.key}/progress`);
  });

  // A job is done for the wizard once its summary is in the draft (the job row may say done a moment earlier).
  const stateOf = (draft: Draft, job: JobRow | undefined): JobRow['status'] | 'none' => {
    if (!job) return 'none';
    if (job.status === 'done' && !(job.kind === 'commit' ? draft.result : draft.preview)) return 'running';
    return job.status;
  };
  const nextOf = (draft: Draft, job: JobRow | undefined) => `/imports/drafts/${draft.key}/${job?.kind === 'commit' || draft.result ? 'result' : 'preview'}`;

  r.get('/imports/drafts/:key/progress', run, async (req, res) => {
    const draft = draftOf(req);
    const job = await jobOf(db, draft.key);
    const status = stateOf(draft, job);
    if (!job || status === 'none' || status === 'done') return res.redirect(303, job ? nextOf(draft, job) : `/imports/drafts/${draft.key}/${draft.result ? 'result' : 'preview'}`);
    const progress = jobProgress(job);
    page(req, res, 'progress', 'imports.progressTitle', draft, {
      job: { ...job, status }, progress, lines: progressText(progress, req.t, (n) => res.locals.fmt.number(n, 0)), refresh: status === 'running' || status === 'waiting' ? 2 : 0,
    });
  });

  r.get('/imports/drafts/:key/status.json', run, async (req, res) => {
    const draft = draftOf(req);
    const job = await jobOf(db, draft.key);
    const status = stateOf(draft, job);
    const progress = job ? jobProgress(job) : null;
    res.set('Cache-Control', 'no-store').json({
      status: status === 'none' ? 'done' : status, bytes: job?.bytes ?? 0, total: job?.total ?? draft.detection.size, next: nextOf(draft, job),
      rows: progress?.rowsDone ?? 0, rowsTotal: progress?.rowsTotal ?? null, rowsExact: progress?.exact ?? false, secondsLeft: progress?.secondsLeft ?? null,
      ...(progress ? { text: progressText(progress, req.t, (n) => res.locals.fmt.number(n, 0)) } : {}),
    });
  });

  r.get('/imports/drafts/:key/preview', run, async (req, res) => {
    const draft = draftOf(req);
    if (!draft.preview) return res.redirect(303, `/imports/drafts/${draft.key}/options`);
    await previewPage(req, res, draft, null);
  });

  r.post('/imports/drafts/:key/commit', run, async (req, res) => {
    const draft = draftOf(req);
    if (draft.result) return res.redirect(303, `/imports/drafts/${draft.key}/result`);
    if (!draft.preview) return res.redirect(303, `/imports/drafts/${draft.key}/options`);
    if (!isActive(await jobOf(db, draft.key))) await startJob(db, draft, 'commit', actorOf(req), req.t, req.locale);
    res.redirect(303, `/imports/drafts/${draft.key}/progress`);
  });

  r.get('/imports/drafts/:key/result', run, (req, res) => {
    const draft = draftOf(req);
    if (!draft.result) throw notFound();
    page(req, res, 'result', 'imports.resultTitle', draft, { summary: draft.result });
  });

  r.get('/imports/drafts/:key/problems.csv', run, (req, res) => {
    const draft = draftOf(req);
    if (!draft.preview && !draft.result) throw notFound();
    const name = draft.filename.replace(/\.csv$/i, '').replace(/[^\p{L}\p{N}._ -]+/gu, '_') || 'import';
    res.attachment(`${name}-problems.csv`);
    res.type('text/csv; charset=utf-8');
    res.sendFile(problemsPath(draft.key));
  });

  return r;
}

export type { Target };
