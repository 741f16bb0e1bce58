// Workbook cells as the user sees them, turned into the text a CSV cell would hold (pure logic). Text stays
// text (leading zeros kept), whole numbers have no `.0`, a number formatted `00000` keeps its zeros, dates
// become ISO dates, formulas give their cached value. Used by workbook.reader for .xlsx and .ods.

/** Why a workbook cannot be read; `key` is a message key (imports.refused.*). */
export type WorkbookProblem = 'xls' | 'password' | 'macros' | 'brokenZip' | 'tooLarge' | 'tooManyColumns' | 'noSheet' | 'notWorkbook' | 'sheetNotFound';

/** Column letters of a cell reference: A → 0, Z → 25, AA → 26, XFD → 16383; -1 when there are none. */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return i === 0 ? -1 : n - 1;
}

/** The 1-based row number of a cell reference ("B12" → 12), or NaN. */
export function rowNumber(ref: string): number {
  return Number(/\d+$/.exec(ref)?.[0] ?? NaN);
}

/** "A1:C2" → first and last column and row (0-based columns, 1-based rows). */
export function parseRange(ref: string): { c0: number; r0: number; c1: number; r1: number } | null {
  const [a, b = a] = ref.split(':');
  const c0 = columnIndex(a!);
  const c1 = columnIndex(b!);
  const r0 = rowNumber(a!);
  const r1 = rowNumber(b!);
  if (c0 < 0 || c1 < 0 || !Number.isFinite(r0) || !Number.isFinite(r1)) return null;
  return { c0, r0, c1, r1 };
}

/** Excel's built-in number formats that show a date or time (ECMA-376 18.8.30, plus the common locale ones). */
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

export type CellFormat = { kind: 'general' } | { kind: 'date' } | { kind: 'time' } | { kind: 'zeros'; width: number } | { kind: 'percent' } | { kind: 'text' };

/** What a number format does to the look of a number, as far as the text of a cell is concerned. */
export function classifyFormat(id: number, code: string | undefined): CellFormat {
  if (code === undefined) {
    if (id === 49) return { kind: 'text' };
    if (id === 9 || id === 10) return { kind: 'percent' };
    if (id >= 18 && id <= 21) return { kind: 'time' };
    if (BUILTIN_DATES.has(id)) return { kind: 'date' };
    return { kind: 'general' };
  }
  const first = code.split(';')[0] ?? '';
  // quoted text, escaped characters and [colour]/[condition] blocks say nothing about dates
  const bare = first.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').replace(/_.|\*./g, '').trim();
  if (bare === '@') return { kind: 'text' };
  if (/^0+$/.test(bare) && bare.length > 1) return { kind: 'zeros', width: bare.length };
  if (/%/.test(bare)) return { kind: 'percent' };
  if (/[dy]/i.test(bare) || /(^|[^a-z])m{3,}/i.test(bare)) return { kind: 'date' };
  if (/[hs]/i.test(bare)) return { kind: 'time' };
  return { kind: 'general' };
}

/** A number as a spreadsheet shows it in General format: at most 15 significant digits, no `.0`, no exponent for ordinary sizes. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const p = Number(n.toPrecision(15));
  if (Math.abs(p) >= 1e-6 && Math.abs(p) < 1e21) {
    let s = p.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
    // toFixed can show binary noise past 15 digits: cut back to what toPrecision kept
    const digits = s.replace(/[-.]/g, '').replace(/^0+/, '');
    if (digits.length > 15) s = String(p);
    return s;
  }
  return String(p);
}

const DAY_MS = 86_400_000;
/** 1899-12-30: day 0 of the 1900 date system as spreadsheets count it (with Lotus' 29 Feb 1900 built in). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** An Excel date serial as an ISO date (`2024-12-31`), with the time (`2024-12-31 14:30`) when it has one. */
export function serialToIso(serial: number, date1904 = false): string {
  const ms = Math.round(serial * DAY_MS / 1000) * 1000;
  const d = new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + ms);
  const day = d.toISOString().slice(0, 10);
  const time = d.toISOString().slice(11, 16);
  return time === '00:00' ? day : `${day} ${time}`;
}

/** A time-of-day serial (a fraction of a day) as `HH:MM` (`HH:MM:SS` when it has seconds). */
export function serialToTime(serial: number): string {
  const secs = Math.round((serial - Math.floor(serial)) * 86400);
  const h = String(Math.floor(secs / 3600) % 24).padStart(2, '0');
  const m = String(Math.floor(secs / 60) % 60).padStart(2, '0');
  const s = secs % 60;
  return s ? `${h}:${m}:${String(s).padStart(2, '0')}` : `${h}:${m}`;
}

/** A numeric xlsx cell's text under its format. */
export function formatNumber(n: number, f: CellFormat, date1904 = false): string {
  switch (f.kind) {
    case 'date':
      return serialToIso(n, date1904);
    case 'time':
      return n >= 1 ? serialToIso(n, date1904) : serialToTime(n);
    case 'zeros':
      return Number.isInteger(n) && n >= 0 ? String(n).padStart(f.width, '0') : numberText(n);
    case 'percent':
      return `${numberText(Number((n * 100).toPrecision(15)))}%`;
    default:
      return numberText(n);
  }
}

/** An ODS date-value (`2024-12-31` or `2024-12-31T14:30:00`) as an ISO date, with the time when it has one. */
export function odsDate(v: string): string {
  const m = /^(-?\d{4,}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v);
  if (!m) return v;
  if (!m[2] || (m[2] === '00' && m[3] === '00' && (m[4] ?? '00') === '00')) return m[1]!;
  return `${m[1]} ${m[2]}:${m[3]}`;
}

/**
 * An ODS number cell: the value as General shows it, unless the text the user sees is the same number with
 * leading zeros (a postcode formatted `00000`).
 */
export function odsNumber(value: string, shown: string): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return shown;
  if (/^0\d+$/.test(shown.trim()) && Number(shown) === n) return shown.trim();
  return numberText(n);
}

/** Which sheet `--sheet` means: a 1-based number or a name (case-insensitive); null when none fits. */
export function chooseSheet<T extends { name: string; hidden: boolean }>(sheets: T[], choice: string | number | undefined): T | null {
  if (choice === undefined || choice === '') return sheets.find((s) => !s.hidden) ?? null;
  const byName = sheets.find((s) => s.name === String(choice)) ?? sheets.find((s) => s.name.toLowerCase() === String(choice).toLowerCase());
  if (byName) return byName;
  if (/^\d{1,4}$/.test(String(choice))) return sheets[Number(choice) - 1] ?? null;
  return null;
}

/**
 * Header labels under merged cells: a header merged across columns (`Address` over three) names the covered
 * columns after it (`Address 2`, `Address 3`) instead of leaving them blank.
 */
export function mergedHeaderLabels(headers: string[], merges: { c0: number; c1: number }[]): string[] {
  const out = [...headers];
  for (const m of merges) {
    const base = out[m.c0];
    if (!base || /^#\d+$/.test(base)) continue;
    for (let c = m.c0 + 1; c <= m.c1 && c < 1024; c++) {
      if (out[c] === undefined || /^#\d+$/.test(out[c]!)) out[c] = `${base} ${c - m.c0 + 1}`;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] ??= `#${i + 1}`;
  return out;
}
