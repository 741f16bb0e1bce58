// Skills coverage: demand (needed by open and recent projects) against supply (active people with the skill),
// gaps first; and the geometry of the server-rendered SVG bar chart.

/** The definition the page documents: how far back "recent" reaches for demand and "active" for supply. */
export const COVERAGE_WINDOWS = { demandMonths: 12, supplyMonths: 24 } as const;
export const DEMAND_STATUSES = ['open', 'running'] as const;

/** `YYYY-MM-DD` moved by whole months (the day clamped to the month's end). */
export function shiftMonths(date: string, months: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface SkillCount {
  skillId: number;
  name: string;
  name_de: string | null;
  demand: number;
  supply: number;
}

export interface CoverageRow extends SkillCount {
  /** active people per project needing the skill */
  ratio: number;
  /** fewer active people than projects needing the skill */
  gap: boolean;
  shortfall: number;
}

/**
 * Skills in demand with their supply, the biggest gaps first: fewest active people per project needing the
 * skill, then the higher demand, then the name.
 */
export function skillCoverage(counts: SkillCount[]): CoverageRow[] {
  return counts
    .filter((c) => c.demand > 0)
    .map((c) => ({ ...c, ratio: c.supply / c.demand, gap: c.supply < c.demand, shortfall: Math.max(0, c.demand - c.supply) }))
    .sort((a, b) => a.ratio - b.ratio || b.demand - a.demand || a.name.localeCompare(b.name) || a.skillId - b.skillId);
}

export interface ChartBar {
  label: string;
  y: number;
  demand: number;
  supply: number;
  demandWidth: number;
  supplyWidth: number;
  gap: boolean;
}

export interface BarChart {
  width: number;
  height: number;
  labelWidth: number;
  plotWidth: number;
  barHeight: number;
  bars: ChartBar[];
  ticks: { x: number; value: number }[];
}

/** A "nice" axis maximum (1, 2, 5 × 10^n) at or above `n`. */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Lays out grouped horizontal bars (demand above supply) for each row, on one shared axis. */
export function coverageChart(rows: { label: string; demand: number; supply: number; gap: boolean }[], opts: { labelWidth?: number; plotWidth?: number } = {}): BarChart {
  const labelWidth = opts.labelWidth ?? 200;
  const plotWidth = opts.plotWidth ?? 420;
  const barHeight = 12;
  const rowHeight = barHeight * 2 + 14;
  const top = 24;
  const max = niceMax(Math.max(0, ...rows.map((r) => Math.max(r.demand, r.supply))));
  const scale = (v: number) => Math.round((v / max) * plotWidth * 10) / 10;
  const bars = rows.map((r, i) => ({
    label: r.label, y: top + i * rowHeight, demand: r.demand, supply: r.supply,
    demandWidth: scale(r.demand), supplyWidth: scale(r.supply), gap: r.gap,
  }));
  // Whole-number ticks: counts are whole numbers (max is 1, 2, 5 or 10 × 10^n, so max / 5 is whole from 5 up).
  const step = max <= 2 ? 1 : max / 5;
  const ticks: { x: number; value: number }[] = [];
  for (let v = 0; v <= max; v += step) ticks.push({ x: labelWidth + scale(v), value: v });
  return { width: labelWidth + plotWidth + 50, height: top + rows.length * rowHeight + 24, labelWidth, plotWidth, barHeight, bars, ticks };
}
