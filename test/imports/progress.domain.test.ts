import { expect } from 'chai';
import { jobProgress, timeLeftText } from '../../src/imports/progress.domain.js';

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const job = (o: Partial<Parameters<typeof jobProgress>[0]>) => ({ bytes: 0, total: 1000, rows_done: 0, rows_total: null, started_at: ago(10), ...o });

describe('import job progress', () => {
  const cases: [string, Parameters<typeof jobProgress>[0], { rowsTotal: number | null; exact: boolean; secondsLeft: number | null }][] = [
    ['a commit knows its rows: a quarter done in 30 s leaves 90 s', job({ rows_done: 250, rows_total: 1000, bytes: 300, started_at: ago(30) }), { rowsTotal: 1000, exact: true, secondsLeft: 90 }],
    ['a preview estimates its rows from the bytes read', job({ rows_done: 90, bytes: 100, total: 1000, started_at: ago(10) }), { rowsTotal: 900, exact: false, secondsLeft: 90 }],
    ['an estimate never says fewer rows than are done', job({ rows_done: 50, bytes: 1000, total: 1000 }), { rowsTotal: 50, exact: false, secondsLeft: 0 }],
    ['nothing read yet: no total, no time', job({}), { rowsTotal: null, exact: false, secondsLeft: null }],
    ['less than a second run: no rate yet', job({ rows_done: 10, bytes: 10, started_at: ago(0.5) }), { rowsTotal: 1000, exact: false, secondsLeft: null }],
    ['waiting (not started): no rate', job({ rows_done: 10, bytes: 10, started_at: null }), { rowsTotal: 1000, exact: false, secondsLeft: null }],
    ['all rows done: nothing left', job({ rows_done: 1000, rows_total: 1000, started_at: ago(5) }), { rowsTotal: 1000, exact: true, secondsLeft: 0 }],
  ];
  for (const [name, j, want] of cases) {
    it(name, () => {
      const p = jobProgress(j, NOW);
      expect({ rowsTotal: p.rowsTotal, exact: p.exact, secondsLeft: p.secondsLeft }).to.deep.equal(want);
    });
  }

  const t = (key: string, vars: Record<string, string | number> = {}) => `${key}${JSON.stringify(vars)}`;
  const words: [number | null, string][] = [
    [null, 'imports.progress.estimating{}'],
    [0, 'imports.progress.almostDone{}'],
    [3, 'imports.progress.secondsLeft{"count":5}'],
    [42, 'imports.progress.secondsLeft{"count":45}'],
    [61, 'imports.progress.minutesLeft{"count":2}'],
    [3540, 'imports.progress.minutesLeft{"count":59}'],
    [3599, 'imports.progress.hoursLeft{"hours":1,"minutes":0}'],
    [3601, 'imports.progress.hoursLeft{"hours":1,"minutes":1}'],
    [7200 + 15 * 60, 'imports.progress.hoursLeft{"hours":2,"minutes":15}'],
  ];
  for (const [s, want] of words) it(`${s} s left reads ${want}`, () => expect(timeLeftText(s, t)).to.equal(want));
});
