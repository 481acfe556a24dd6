import type { Preferences } from '../subscribers/preferences.js';

/** The listing days one edition covers: an edition is keyed by the papers' listing day `date`. */
export interface EditionWindow {
  /** The edition's key, 'YYYY-MM-DD'. */
  date: string;
  /** First listing day included, 'YYYY-MM-DD'. */
  start: string;
  /** Last listing day included (= date). */
  end: string;
  /** Every day from start to end, oldest first. */
  days: string[];
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error(`not a date: "${date}" (want YYYY-MM-DD)`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** Daily and weekdays digests cover the papers listed on `date`; weekly ones the seven days ending on it. */
export function editionWindow(date: string, frequency: Preferences['frequency']): EditionWindow {
  const span = frequency === 'weekly' ? 7 : 1;
  const days = Array.from({ length: span }, (_, i) => addDays(date, i - span + 1));
  return { date, start: days[0] as string, end: date, days };
}

/** Whole days between two 'YYYY-MM-DD' dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}
