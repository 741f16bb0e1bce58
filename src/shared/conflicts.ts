// "Saved by someone else meanwhile": what an edit form shows when its save was refused because the record
// changed after the form was opened (see src/shared/versions.queries.ts). One comparison for every form.

/** A field whose saved value differs from the form's: both values, for the user to choose. */
export interface FieldConflict {
  field: string;
  /** message key of the field's label */
  label: string;
  saved: string;
  mine: string;
  /** message key prefix for coded values (`orgKinds.` → the translated kind), when the values are codes */
  valueKey?: string;
}

/** A form's field: its name, its label's message key, and for coded values the prefix of their message keys. */
export type ConflictField = readonly [field: string, label: string, valueKey?: string];

const shown = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '✓' : '') : v === 1 || v === 0 ? (v ? '✓' : '') : String(v));

/** The fields (in the form's order) where what is saved now differs from what this form would save. */
export function fieldConflicts(fields: readonly ConflictField[], saved: object, mine: object): FieldConflict[] {
  return fields.flatMap(([field, label, valueKey]) => {
    const a = shown((saved as Record<string, unknown>)[field]);
    const b = shown((mine as Record<string, unknown>)[field]);
    if (a.trim() === b.trim()) return [];
    return [{ field, label, saved: a, mine: b, ...(valueKey ? { valueKey } : {}) }];
  });
}

/** The version a submitted form edited (its hidden `version` field), or undefined when it has none. */
export function formVersion(body: Record<string, unknown>): string | undefined {
  return typeof body.version === 'string' && body.version ? body.version : undefined;
}
