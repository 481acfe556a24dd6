import type { NewPaperRow } from '../db/schema.js';

/** A record a source could not accept: where it was, which paper (when known) and which field. */
export interface Rejection {
  /** 1-based position of the record in what was read (a file, or one day's list). */
  position: number;
  id?: string;
  /** Dotted path of the field at fault, e.g. `paper.authors[2].name`; `(record)` for the whole record. */
  field: string;
  message: string;
  /** What the record was read from when it is not obvious, e.g. `daily_papers 2026-11-25`. */
  origin?: string;
}

/** What every source adapter returns: validated rows plus what it had to reject or adjust. */
export interface SourceResult {
  /** Records read, good and bad. */
  read: number;
  rows: NewPaperRow[];
  rejected: Rejection[];
  /** Records that went in with a field dropped or fixed, one sentence each. */
  warnings: string[];
}

export function emptyResult(): SourceResult {
  return { read: 0, rows: [], rejected: [], warnings: [] };
}

export function mergeResults(into: SourceResult, from: SourceResult): SourceResult {
  into.read += from.read;
  into.rows.push(...from.rows);
  into.rejected.push(...from.rejected);
  into.warnings.push(...from.warnings);
  return into;
}

/** `record #3 (id 2411.01234)`, prefixed with its origin when there is one. */
export function describeRecord(r: { position: number; id?: string; origin?: string }): string {
  const where = `record #${r.position}${r.id ? ` (id ${r.id})` : ''}`;
  return r.origin ? `${r.origin} ${where}` : where;
}

/** `record #3 (id 2411.01234): paper.title: expected a string` */
export function formatRejection(r: Rejection): string {
  return `${describeRecord(r)}: ${r.field === '(record)' ? '' : `${r.field}: `}${r.message}`;
}

/** Raised when a source cannot be read at all (as opposed to a bad record inside it). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: 'SOURCE_UNREACHABLE' | 'SOURCE_REFUSED' | 'SOURCE_BAD_RESPONSE' | 'SOURCE_FILE',
    message: string,
  ) {
    super(message);
  }
}
