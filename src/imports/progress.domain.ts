// How far a background import job is, for the progress page: rows done of rows in all (exact when the job
// knows them, as a commit does from its preview; otherwise estimated from the share of the file read) and
// the time left, estimated from the rate so far. Pure logic; the texts are the caller's translator's.

export interface JobCounters {
  bytes: number;
  /** the file's size in bytes */
  total: number;
  rows_done: number;
  rows_total: number | null;
  started_at: string | null;
}

export interface JobProgress {
  rowsDone: number;
  /** null until it can be told (nothing read yet) */
  rowsTotal: number | null;
  /** false: rowsTotal is an estimate from the bytes read so far */
  exact: boolean;
  /** 0–1 */
  fraction: number;
  /** null while the rate cannot be told yet (less than MIN_ELAPSED_MS run, or nothing done) */
  secondsLeft: number | null;
}

/** A rate measured over less than this says little: the time left is shown from then on. */
export const MIN_ELAPSED_MS = 1000;

export function jobProgress(j: JobCounters, now = Date.now()): JobProgress {
  const exact = j.rows_total !== null && j.rows_total > 0;
  const byBytes = j.total > 0 ? Math.min(1, j.bytes / j.total) : 0;
  const fraction = exact ? Math.min(1, j.rows_done / j.rows_total!) : byBytes;
  // rows are handled a little behind the bytes read, so an estimate never says fewer rows than are done
  const rowsTotal = exact ? j.rows_total! : j.rows_done > 0 && byBytes > 0 ? Math.max(j.rows_done, Math.round(j.rows_done / byBytes)) : null;
  const started = j.started_at ? Date.parse(j.started_at) : NaN;
  const elapsed = now - started;
  let secondsLeft: number | null = null;
  if (fraction >= 1) secondsLeft = 0;
  else if (Number.isFinite(elapsed) && elapsed >= MIN_ELAPSED_MS && fraction > 0) secondsLeft = Math.ceil((elapsed * (1 - fraction)) / fraction / 1000);
  return { rowsDone: j.rows_done, rowsTotal, exact, fraction, secondsLeft };
}

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** The progress page's two lines: rows done of rows in all, and the time left. */
export function progressText(p: JobProgress, t: Translate, number: (n: number) => string): { rows: string; timeLeft: string } {
  const done = number(p.rowsDone);
  const rows = p.rowsTotal === null ? t('imports.progress.rowsSoFar', { done, count: p.rowsDone })
    : t(p.exact ? 'imports.progress.rows' : 'imports.progress.rowsAbout', { done, total: number(p.rowsTotal) });
  return { rows, timeLeft: timeLeftText(p.secondsLeft, t) };
}

export function timeLeftText(seconds: number | null, t: Translate): string {
  if (seconds === null) return t('imports.progress.estimating');
  if (seconds === 0) return t('imports.progress.almostDone');
  if (seconds < 60) return t('imports.progress.secondsLeft', { count: Math.max(1, Math.ceil(seconds / 5) * 5) });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t('imports.progress.minutesLeft', { count: minutes });
  return t('imports.progress.hoursLeft', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
