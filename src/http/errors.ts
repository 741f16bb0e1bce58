// The one error type routes throw; the error handler turns it into a page (or JSON) with its status.
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    /** a translation key shown to the user */
    public readonly messageKey: string = `errors.${status}`,
    public readonly vars: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

export const notFound = () => new HttpError(404, 'errors.404');
export const forbidden = () => new HttpError(403, 'errors.403');

/** Parses a route id or throws 404: `/people/abc` is a missing record, not a server error. */
export function parseId(raw: unknown): number {
  const s = String(raw ?? '');
  if (!/^[1-9][0-9]{0,15}$/.test(s)) throw notFound();
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw notFound();
  return n;
}

/** Returns the record or throws 404. */
export function found<T>(row: T | undefined | null): T {
  if (row === undefined || row === null) throw notFound();
  return row;
}
