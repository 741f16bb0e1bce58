// Pure helpers for the audit trail: what changed between two versions of a record.
export type Changes = Record<string, { from: unknown; to: unknown }>;

const IGNORED = new Set(['updated_at', 'created_at', 'password_hash', 'name_norm', 'email_norm', 'phone_norm', 'city_norm']);

/** The fields whose values differ (null, undefined and '' count as the same empty value). */
export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const out: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    const a = normalise(before?.[k]);
    const b = normalise(after?.[k]);
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = { from: a, to: b };
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
